package dev.ftnotifier.threads;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.Message;
import dev.ftnotifier.notify.Notification;

import java.io.IOException;
import java.util.Optional;

/**
 * Posts a channel instance's Slack messages through the Web API ({@code chat.postMessage} with a
 * bot token) so that each job has one thread: the first message about a job starts it (its
 * {@code ts} is kept in the {@link ThreadStore}), later ones reply in it ({@code thread_ts}), and
 * a terminal one is also shown in the channel ({@code reply_broadcast}). A digest is a message of
 * its own.
 *
 * <p>camel-slack 4.18's producer posts with a token too, but it sends neither {@code thread_ts}
 * nor {@code reply_broadcast} and drops the answer's {@code ts} (SlackProducer.sendMessage), so
 * this bean calls the slack-api-client that camel-slack already brings. The token lives only
 * here; the SDK's loggers stay at INFO (they would print requests at DEBUG).
 */
public class SlackThreads implements AutoCloseable {

    private final Slack slack;
    private final String token;
    private final String channel;
    private final ThreadStore threads;

    public SlackThreads(String serverUrl, String token, String channel, ThreadStore threads) {
        SlackConfig config = new SlackConfig();
        String base = serverUrl == null || serverUrl.isBlank() ? "https://slack.com" : serverUrl.trim();
        config.setMethodsEndpointUrlPrefix(base.replaceAll("/+$", "") + "/api/");
        config.setPrettyResponseLoggingEnabled(false);
        this.slack = Slack.getInstance(config);
        this.token = token;
        this.channel = channel;
        this.threads = threads;
    }

    /** Posts the message; {@code about} is what it tells (a notification, or a digest). */
    public void post(Message message, Object about) throws IOException, SlackApiException {
        Notification n = about instanceof Notification notification ? notification : null;
        Optional<String> thread = n == null ? Optional.empty() : threads.thread(n.jobId());
        ChatPostMessageResponse response = slack.methods(token).chatPostMessage(req -> req
                .channel(channel)
                .text(message.getText())
                .blocks(message.getBlocks())
                .threadTs(thread.orElse(null))
                .replyBroadcast(thread.isPresent() && n.terminal()));
        if (!response.isOk()) {
            // Slack's error code only ("channel_not_found", "invalid_auth"): never the token
            throw new IOException("Slack chat.postMessage answered ok=false: " + response.getError());
        }
        if (n != null && thread.isEmpty() && response.getTs() != null) {
            threads.keep(n.jobId(), response.getTs());
        }
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
