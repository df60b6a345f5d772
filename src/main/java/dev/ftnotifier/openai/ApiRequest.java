package dev.ftnotifier.openai;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The headers every request to the API carries, as the official SDKs send them: the Bearer
 * key, {@code OpenAI-Organization} and {@code OpenAI-Project} when configured, and a
 * {@code User-Agent} naming this tool. Everything else is removed first, because camel-http
 * sends every non-Camel header of the message as an HTTP header.
 */
public class ApiRequest {

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
        Message message = exchange.getMessage();
        message.getHeaders().clear();
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
        message.setHeader(Exchange.HTTP_PATH, "/" + jobId);
    }

    public String userAgent() {
        return userAgent;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
