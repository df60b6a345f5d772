package dev.ftnotifier.notify;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class WebhookRequestTest {

    private static Exchange prepared(String url, Map<String, String> headers) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.start();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader("jobId", "from an earlier step");
        exchange.getMessage().setHeader("CamelHttpResponseCode", 500);
        exchange.getMessage().setHeader("CamelRedeliveryCounter", 1);
        new WebhookRequest(url, headers, "fine-tuning-notifier/test").prepare(exchange);
        context.stop();
        return exchange;
    }

    @Test
    void postsJsonToTheUrlWithOnlyItsOwnHeaders() {
        Exchange exchange = prepared("https://example.test/hooks/abc%2Fdef?sig=s3cr%3Dt&x=1", Map.of("X-Api-Key", "k"));
        Map<String, Object> headers = exchange.getMessage().getHeaders();
        assertEquals("https://example.test/hooks/abc%2Fdef?sig=s3cr%3Dt&x=1", headers.get(Exchange.HTTP_URI), "kept as given, encoded");
        assertEquals("POST", headers.get(Exchange.HTTP_METHOD));
        assertEquals("application/json; charset=utf-8", headers.get("Content-Type"));
        assertEquals("k", headers.get("X-Api-Key"));
        assertEquals("fine-tuning-notifier/test", headers.get("User-Agent"));
        assertNull(headers.get("jobId"), "no header of the notifier's own goes out");
        assertNull(headers.get("CamelHttpResponseCode"), "an earlier answer is forgotten");
        assertEquals(1, headers.get("CamelRedeliveryCounter"), "Camel's own headers stay");
    }

    @Test
    void aUserAndPasswordInTheUrlBecomeBasicAuthUnlessAnAuthorizationIsConfigured() {
        Exchange basic = prepared("https://bot:p%40ss@example.test:8443/in", Map.of());
        assertEquals("https://example.test:8443/in", basic.getMessage().getHeader(Exchange.HTTP_URI));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("bot:p@ss".getBytes(StandardCharsets.UTF_8)),
                basic.getMessage().getHeader("Authorization"));

        Map<String, String> bearer = new LinkedHashMap<>();
        bearer.put("authorization", "Bearer t");
        bearer.put("content-type", "application/vnd.example+json");
        Exchange configured = prepared("https://bot:pass@example.test/in", bearer);
        assertEquals("Bearer t", configured.getMessage().getHeader("Authorization"));
        assertEquals("application/vnd.example+json", configured.getMessage().getHeader("Content-Type"));
        assertFalse(configured.getMessage().getHeader(Exchange.HTTP_URI, String.class).contains("pass"));
    }
}
