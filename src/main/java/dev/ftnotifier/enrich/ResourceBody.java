package dev.ftnotifier.enrich;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * How routes/enrich.camel.yaml's Content Enricher merges an API answer: the body only. Camel's
 * default copies the whole result, including the mark that api-failures handled a failure, and a
 * handled failure ends the routing of the exchange: the notification itself would stop there
 * (verified: it went out a poll later, with whatever the API answered then). The request's
 * headers (the key) stay behind too.
 */
public class ResourceBody implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange original, Exchange resource) {
        original.getMessage().setBody(resource == null ? null : resource.getMessage().getBody());
        return original;
    }
}
