package dev.ftnotifier.notify;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.model.Message;
import com.slack.api.webhook.WebhookResponse;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.slack.SlackComponent;
import org.apache.camel.component.slack.SlackEndpoint;
import org.apache.camel.component.slack.helper.SlackMessage;
import org.apache.camel.support.DefaultProducer;

import java.util.Map;

/**
 * camel-slack's component for one Slack channel instance (its incoming-webhook URL set on it), with
 * one change: its producer posts through {@link SlackClients#sendingOnce}, so a post whose answer
 * was lost is never sent again behind the route's back.
 *
 * <p>camel-slack 4.18's producer makes its own HTTP client and offers no way to replace it, so the
 * producer here does what its webhook mode does (the endpoint's channel, username and icon on the
 * message, Gson's JSON, a non-2xx answer is an error naming the answer and never the URL), and
 * the endpoint, its options and its URI stay camel-slack's.
 */
public class SlackWebhookComponent extends SlackComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SlackEndpoint endpoint = new SlackEndpoint(uri, remaining, this) {
            @Override
            public Producer createProducer() {
                return new WebhookPoster(this);
            }
        };
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Posts the message body to the endpoint's incoming webhook, once. */
    static final class WebhookPoster extends DefaultProducer {

        private static final Gson GSON = new Gson();

        private final SlackEndpoint endpoint;
        private Slack slack;

        WebhookPoster(SlackEndpoint endpoint) {
            super(endpoint);
            this.endpoint = endpoint;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            slack = SlackClients.sendingOnce(new SlackConfig());
        }

        @Override
        protected void doStop() throws Exception {
            if (slack != null) {
                slack.close();
            }
            super.doStop();
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            WebhookResponse response = slack.send(endpoint.getWebhookUrl(), json(exchange));
            int code = response.getCode() == null ? 0 : response.getCode();
            if (code < 200 || code > 299) {
                throw new CamelExchangeException("Error POSTing to Slack API: " + response, exchange);
            }
        }

        private String json(Exchange exchange) {
            Object body = exchange.getIn().getBody();
            if (body instanceof Message message) {
                message.setChannel(endpoint.getChannel());
                message.setUsername(endpoint.getUsername());
                return GSON.toJson(message);
            }
            SlackMessage message = body instanceof SlackMessage given ? given : new SlackMessage();
            if (message != body) {
                message.setText(exchange.getIn().getBody(String.class));
            }
            message.setChannel(endpoint.getChannel());
            message.setUsername(endpoint.getUsername());
            message.setIconUrl(endpoint.getIconUrl());
            message.setIconEmoji(endpoint.getIconEmoji());
            return GSON.toJson(message);
        }
    }
}
