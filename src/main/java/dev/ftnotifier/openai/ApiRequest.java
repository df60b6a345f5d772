package dev.ftnotifier.openai;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The headers every request to the API carries, as the official SDKs send them: the Bearer
 * key, {@code OpenAI-Organization} and {@code OpenAI-Project} when configured, and a
 * {@code User-Agent} naming this tool. Everything else is removed first, because camel-http
 * sends every non-Camel header of the message as an HTTP header.
 */
public class ApiRequest {

    /** How many jobs one list request asks for: the most the API gives per page. */
    public static final int LIST_PAGE_SIZE = 100;

    private final String apiKey;
    private final String organization;
    private final String project;
    private final String userAgent;

    public ApiRequest(String apiKey, String organization, String project, String version) {
        this.apiKey = apiKey;
        this.organization = blankToNull(organization);
        this.project = blankToNull(project);
        this.userAgent = "fine-tuning-notifier/" + version;
    }

    /** Prepares the message for {@code GET /fine_tuning/jobs/{jobId}}: empty body, only our headers, the job's path. */
    public void forJob(Exchange exchange, String jobId) {
        Message message = prepare(exchange);
        message.setHeader(Exchange.HTTP_PATH, "/" + jobId);
    }

    /**
     * Prepares the message for {@code GET /fine_tuning/jobs/{jobId}/checkpoints} or
     * {@code .../events?limit=20} (routes/enrich.camel.yaml); {@code list} is one of those two words.
     */
    public void forJobList(Exchange exchange, String jobId, String list) {
        if (!"checkpoints".equals(list) && !"events".equals(list)) {
            throw new IllegalArgumentException("no such list of a job: " + list);
        }
        Message message = prepare(exchange);
        message.setHeader(Exchange.HTTP_PATH, "/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "/" + list);
        if ("events".equals(list)) {
            message.setHeader(Exchange.HTTP_QUERY, "limit=20");
        }
    }

    /** Prepares the message for {@code GET /files/{fileId}/content}, a job's result file. */
    public void forFileContent(Exchange exchange, String fileId) {
        Message message = prepare(exchange);
        message.setHeader(Exchange.HTTP_PATH, "/" + URLEncoder.encode(fileId, StandardCharsets.UTF_8) + "/content");
        message.setHeader("Accept", "*/*");
    }

    /**
     * Prepares the message for {@code GET /fine_tuning/jobs?limit=100[&after=<id>]}, one page of the
     * job list; {@code after} (the last id of the previous page, null for the first page) is
     * URL-encoded, so whatever id the API listed cannot change the request.
     */
    public void forList(Exchange exchange, String after) {
        Message message = prepare(exchange);
        String query = "limit=" + LIST_PAGE_SIZE;
        if (after != null && !after.isEmpty()) {
            query += "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8);
        }
        message.setHeader(Exchange.HTTP_QUERY, query);
    }

    private Message prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        // Camel's own headers stay: they are never sent, and carry state such as the redelivery count
        message.getHeaders().keySet().removeIf(name -> !name.startsWith("Camel"));
        message.removeHeaders(Exchange.HTTP_PATH);
        message.removeHeaders(Exchange.HTTP_QUERY);
        message.setBody(null);
        message.setHeader("Authorization", "Bearer " + apiKey);
        message.setHeader("Accept", "application/json");
        message.setHeader("User-Agent", userAgent);
        if (organization != null) {
            message.setHeader("OpenAI-Organization", organization);
        }
        if (project != null) {
            message.setHeader("OpenAI-Project", project);
        }
        return message;
    }

    public String userAgent() {
        return userAgent;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
