package dev.ftnotifier.testing;

import dev.ftnotifier.model.JobStatus;
import dev.ftnotifier.notify.Notification;
import dev.ftnotifier.status.StatusMeaning;

import java.util.Set;

/**
 * What the shipped routes/route-by-status decides a status means, for the unit tests that run
 * without Camel (templates, fuzzing, discovery's rules). The notifier itself has no such table:
 * it asks the route. {@code StatusMeaningTest} checks this copy against the route, so the two
 * cannot drift.
 */
public final class ShippedRouter {

    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    public static final Set<String> IN_PROGRESS = Set.of("validating_files", "queued", "running", "pausing", "paused");

    private ShippedRouter() {
    }

    public static StatusMeaning meaning(String status) {
        String s = JobStatus.of(status).value();
        String event = switch (s) {
            case "failed" -> Notification.FAILURE;
            case "succeeded" -> Notification.COMPLETION;
            case "cancelled" -> Notification.CANCELLATION;
            default -> Notification.PROGRESS;
        };
        return new StatusMeaning(event, TERMINAL.contains(s), TERMINAL.contains(s) || IN_PROGRESS.contains(s));
    }

    public static boolean terminal(JobStatus status) {
        return meaning(status.value()).terminal();
    }
}
