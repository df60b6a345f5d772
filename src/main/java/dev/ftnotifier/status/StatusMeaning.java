package dev.ftnotifier.status;

/**
 * What the status router (route {@code status-meaning}, routes/route-by-status.camel.yaml) decided a
 * status means.
 *
 * @param event    the kind of notification: failure, completion, cancellation or progress
 * @param terminal the job has ended: not fetched again once every channel has delivered
 * @param known    this version knows the status
 */
public record StatusMeaning(String event, boolean terminal, boolean known) {
}
