package dev.ftnotifier.notify;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP request a webhook channel instance sends: POST, {@code application/json}, to its
 * URL, with its configured headers. The URL and the header values are secrets (a Teams or
 * Discord URL carries its token in the path or the query, a header its key): the URL goes to
 * camel-http in the {@code CamelHttpUri} header, never into an endpoint URI, and neither is
 * ever part of a log line. A user:password in the URL becomes a Basic {@code Authorization}
 * header, unless one is configured.
 */
public class WebhookRequest {

    private final String target;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * @param url       an absolute http(s) URL, checked at start-up
     * @param headers   extra headers, names and values checked at start-up
     * @param userAgent sent as {@code User-Agent} unless a header replaces it
     */
    public WebhookRequest(String url, Map<String, String> headers, String userAgent) {
        URI given = URI.create(url.trim());
        String userInfo = given.getUserInfo();
        String authority = given.getRawAuthority();
        // the user:password goes into a header, not into the request line
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        this.target = given.getScheme() + "://" + hostPort + (given.getRawPath() == null ? "" : given.getRawPath())
                + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery());
        this.headers.put("Content-Type", "application/json; charset=utf-8");
        this.headers.put("User-Agent", userAgent);
        if (userInfo != null) {
            this.headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        headers.forEach((name, value) -> {
            this.headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            this.headers.put(name, value);
        });
    }

    /** Prepares the message for the POST: only our headers (Camel's own stay: they carry the redelivery count). */
    public void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().keySet().removeIf(name -> !name.startsWith("Camel") || name.startsWith("CamelHttp"));
        message.setHeader(Exchange.HTTP_URI, target);
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        headers.forEach(message::setHeader);
    }
}
