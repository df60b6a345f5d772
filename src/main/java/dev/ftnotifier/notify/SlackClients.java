package dev.ftnotifier.notify;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.util.http.SlackHttpClient;
import okhttp3.OkHttpClient;

/**
 * The Slack SDK client every Slack post goes through: the SDK's own OkHttp set-up, except that it
 * never sends a request a second time by itself.
 *
 * <p>OkHttp's default ({@code retryOnConnectionFailure}) re-sends a request whose kept-alive
 * connection ended before an answer came, on a new connection, without telling the caller. For a
 * post Slack had already taken, that is a second message and the route sees a plain success, so
 * nobody hears of it. Without that retry the lost answer reaches the route as an error, and the
 * route's retry sends it again and says so ("possible duplicate", notify.PossibleDuplicates).
 */
public final class SlackClients {

    private SlackClients() {
    }

    public static Slack sendingOnce(SlackConfig config) {
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder()
                .retryOnConnectionFailure(false)
                .build();
        SlackHttpClient client = new SlackHttpClient(http);
        client.setConfig(config);
        return Slack.getInstance(config, client);
    }
}
