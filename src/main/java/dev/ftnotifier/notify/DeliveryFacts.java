package dev.ftnotifier.notify;

import org.apache.camel.Exchange;

/**
 * For the channel template (routes/channel-templates.camel.yaml): the facts of one delivery, set as
 * the variables the channel's route, its send route and its failure clauses read.
 *
 * <ul>
 *   <li>{@code deliveryKey}: the delivery ledger's key, {@code job|status|channel} ({@link Deliverable#deliveryKey});</li>
 *   <li>{@code channel}: the instance's name;</li>
 *   <li>{@code delivery}: {@code job <id> (<status>)}, what a log line about the delivery names;</li>
 *   <li>{@code summary}: the facts in one line, for the line that says it was delivered.</li>
 * </ul>
 *
 * <p>One bean step instead of a {@code setVariable} per fact: each {@code ${body.method()}} in a
 * route copies the exchange twice and hashes the whole notification (Camel's bean language keys
 * its method cache by the instance), once per delivery.
 */
public class DeliveryFacts {

    public void describe(Deliverable deliverable, Exchange exchange, String channel) {
        exchange.setVariable("deliveryKey", deliverable.deliveryKey(channel));
        exchange.setVariable("channel", channel);
        exchange.setVariable("delivery", "job " + deliverable.jobId() + " (" + deliverable.deliveryName() + ")");
        exchange.setVariable("summary", deliverable.summary());
    }
}
