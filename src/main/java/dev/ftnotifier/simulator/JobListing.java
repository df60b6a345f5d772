package dev.ftnotifier.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.List;

/**
 * Paging for {@code GET /fine_tuning/jobs}: newest first (ties by id, descending, so
 * the order is total and pages never overlap), {@code after} is the last id of the
 * previous page.
 */
final class JobListing {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private static final Comparator<JobStore.Listed> NEWEST_FIRST =
            Comparator.comparingLong(JobStore.Listed::createdAt)
                    .thenComparing(JobStore.Listed::id)
                    .reversed();

    private JobListing() {
    }

    /**
     * @param after null for the first page; an id not in the list gives an empty last
     *              page (the cursor points at nothing, so there is nothing "after" it)
     * @param limit already validated to be at least 1; larger than {@link #MAX_LIMIT} is capped
     */
    static ObjectNode page(List<JobStore.Listed> jobs, String after, int limit) {
        List<JobStore.Listed> ordered = jobs.stream().sorted(NEWEST_FIRST).toList();
        int start = 0;
        if (after != null) {
            start = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).id().equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = Math.min(ordered.size(), start + Math.min(limit, MAX_LIMIT));

        ObjectNode json = JobJson.MAPPER.createObjectNode();
        json.put("object", "list");
        ArrayNode data = json.putArray("data");
        ordered.subList(start, end).forEach(job -> data.add(job.json()));
        json.put("has_more", end < ordered.size());
        return json;
    }
}
