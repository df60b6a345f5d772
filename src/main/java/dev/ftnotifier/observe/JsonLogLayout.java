package dev.ftnotifier.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One log event as one line of JSON: {@code ts} (ISO-8601 UTC), {@code level}, {@code logger},
 * {@code message}, and when known {@code route} (Camel's MDC {@code camel.routeId}), {@code job_id}
 * and {@code channel} (set by {@link LogContext}; a channel route's id names its channel too), and
 * {@code error} (the exception's class and message, no stack). Messages are what the text log says,
 * so secrets stay out the same way.
 */
public class JsonLogLayout extends LayoutBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            Map<String, String> mdc = event.getMDCPropertyMap();
            json.writeStartObject();
            json.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            String route = mdc.get("camel.routeId");
            if (route != null) {
                json.writeStringField("route", route);
            }
            String job = mdc.get(LogContext.JOB_ID);
            if (job != null) {
                json.writeStringField("job_id", job);
            }
            String channel = mdc.get(LogContext.CHANNEL);
            if (channel == null && route != null && (route.startsWith("channel-") || route.startsWith("send-"))) {
                channel = route.substring(route.indexOf('-') + 1);
            }
            if (channel != null) {
                json.writeStringField("channel", channel);
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                json.writeStringField("error", error.getClassName() + ": " + error.getMessage());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(System.lineSeparator()).toString();
    }
}
