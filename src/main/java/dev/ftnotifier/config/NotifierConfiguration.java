package dev.ftnotifier.config;

import dev.ftnotifier.discover.Discovery;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.EmailMessages;
import dev.ftnotifier.notify.FailureReason;
import dev.ftnotifier.notify.SlackMessages;
import dev.ftnotifier.notify.Templates;
import dev.ftnotifier.notify.FileDocuments;
import dev.ftnotifier.notify.NotificationFactory;
import dev.ftnotifier.openai.ApiProblems;
import dev.ftnotifier.openai.ApiRequest;
import dev.ftnotifier.openai.JobCheck;
import dev.ftnotifier.notify.Channels;
import dev.ftnotifier.state.Backoff;
import dev.ftnotifier.state.DeliveryLedger;
import dev.ftnotifier.state.PendingReport;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.watch.WatchList;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.util.TimeUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The beans the routes in {@code routes/} call, built from {@code application.properties}.
 */
public class NotifierConfiguration implements CamelConfiguration {

    @PropertyInject("openai.api-key")
    private String apiKey;
    @PropertyInject("openai.base-url")
    private String baseUrl;
    @PropertyInject(value = "openai.organization", defaultValue = "")
    private String organization;
    @PropertyInject(value = "openai.project", defaultValue = "")
    private String project;
    @PropertyInject(value = "notifier.jobs", defaultValue = "")
    private String jobs;
    @PropertyInject(value = "notifier.jobs-file", defaultValue = "")
    private String jobsFile;
    @PropertyInject("notifier.state.dir")
    private String stateDir;
    @PropertyInject(value = "notifier.file.dir", defaultValue = "")
    private String fileDir;
    @PropertyInject(value = "notifier.file.statuses", defaultValue = "*")
    private String fileStatuses;
    @PropertyInject(value = "notifier.slack.webhook-url", defaultValue = "")
    private String slackWebhookUrl;
    @PropertyInject(value = "notifier.slack.statuses", defaultValue = "failed,succeeded,cancelled")
    private String slackStatuses;
    @PropertyInject(value = "notifier.email.to", defaultValue = "")
    private String emailTo;
    @PropertyInject(value = "notifier.email.username", defaultValue = "")
    private String emailUsername;
    @PropertyInject(value = "notifier.email.password", defaultValue = "")
    private String emailPassword;
    @PropertyInject(value = "notifier.email.statuses", defaultValue = "failed,succeeded,cancelled")
    private String emailStatuses;
    @PropertyInject(value = "notifier.templates.dir", defaultValue = "templates")
    private String templatesDir;
    @PropertyInject(value = "notifier.retry.initial-backoff", defaultValue = "10s")
    private String retryInitialBackoff;
    @PropertyInject(value = "notifier.retry.max-backoff", defaultValue = "10m")
    private String retryMaxBackoff;
    @PropertyInject(value = "notifier.version", defaultValue = "dev")
    private String version;

    private FinishedJobs finishedJobs;
    private WatchList watchList;
    @PropertyInject(value = "notifier.discover", defaultValue = "false")
    private String discover;

    @PropertyInject(value = "notifier.routes", defaultValue = "yaml")
    private String routesDsl;
    @PropertyInject(value = "notifier.routes.dir", defaultValue = "routes")
    private String routesDir;
    @PropertyInject(value = "notifier.routes.reload", defaultValue = "true")
    private boolean routesReload;
    @PropertyInject(value = "notifier.routes.reload-interval", defaultValue = "1s")
    private String routesReloadInterval;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // settings were checked by StartupChecks before the routes loaded
        if (routesReload) {
            camelContext.addService(new RouteReloader(camelContext, Path.of(routesDir.trim()), "*.camel." + routesDsl.trim(),
                    TimeUtils.toMilliSeconds(routesReloadInterval)));
        }
    }

    private List<String> configuredJobs() {
        return JobIds.parseList(jobs, "notifier.jobs");
    }

    private Path jobsFilePath() {
        return jobsFile == null || jobsFile.isBlank() ? null : Path.of(jobsFile.trim());
    }

    @BindToRegistry("finishedJobs")
    public FinishedJobs finishedJobs() {
        if (finishedJobs == null) {
            finishedJobs = new FinishedJobs(Path.of(stateDir));
        }
        return finishedJobs;
    }

    @BindToRegistry("watchList")
    public WatchList watchList() {
        if (watchList == null) {
            watchList = new WatchList(configuredJobs(), jobsFilePath(), finishedJobs());
        }
        return watchList;
    }

    private DeliveryLedger deliveryLedger;

    @BindToRegistry("deliveryLedger")
    public DeliveryLedger deliveryLedger() {
        if (deliveryLedger == null) {
            Backoff backoff = new Backoff(Duration.ofMillis(TimeUtils.toMilliSeconds(retryInitialBackoff)),
                    Duration.ofMillis(TimeUtils.toMilliSeconds(retryMaxBackoff)));
            deliveryLedger = new DeliveryLedger(Path.of(stateDir), backoff, Clock.systemUTC());
        }
        return deliveryLedger;
    }

    @BindToRegistry("channels")
    public Channels channels() {
        return new Channels(List.of(fileChannel(), slackChannel(), emailChannel()), deliveryLedger());
    }

    @BindToRegistry("pendingReport")
    public PendingReport pendingReport() {
        return new PendingReport(deliveryLedger(), finishedJobs(), Path.of(stateDir), Clock.systemUTC());
    }

    @BindToRegistry("apiRequest")
    public ApiRequest apiRequest() {
        return new ApiRequest(apiKey, organization, project, version);
    }

    @BindToRegistry("apiProblems")
    public ApiProblems apiProblems() {
        return new ApiProblems(baseUrl, Clock.systemUTC());
    }

    @BindToRegistry("jobCheck")
    public JobCheck jobCheck() {
        return new JobCheck();
    }

    @BindToRegistry("notifications")
    public NotificationFactory notifications() {
        return new NotificationFactory(Clock.systemUTC());
    }

    @BindToRegistry("failureReason")
    public FailureReason failureReason() {
        return new FailureReason();
    }

    @BindToRegistry("fileDocuments")
    public FileDocuments fileDocuments() {
        return new FileDocuments();
    }

    @BindToRegistry("discovery")
    public Discovery discovery() {
        return new Discovery(Path.of(stateDir), Boolean.parseBoolean(discover.trim()), watchList(), finishedJobs());
    }

    @BindToRegistry("slackChannel")
    public ChannelSettings slackChannel() {
        return ChannelSettings.of("slack", slackWebhookUrl, slackStatuses);
    }

    @BindToRegistry("emailChannel")
    public ChannelSettings emailChannel() {
        return ChannelSettings.of("email", emailTo, emailStatuses);
    }

    /**
     * The SMTP component, with AUTH only when a username is set (an empty one would still make
     * camel-mail log in). The password stays here, out of every endpoint URI.
     */
    @BindToRegistry("smtp")
    public MailComponent smtp() {
        MailConfiguration mail = new MailConfiguration();
        if (!emailUsername.isBlank()) {
            mail.setUsername(emailUsername.trim());
            mail.setPassword(emailPassword);
        }
        return new MailComponent(mail);
    }

    @BindToRegistry("slackMessages")
    public SlackMessages slackMessages() {
        return new SlackMessages(templates());
    }

    @BindToRegistry("emailMessages")
    public EmailMessages emailMessages() {
        return new EmailMessages(templates());
    }

    private Templates templates;

    private Templates templates() {
        if (templates == null) {
            templates = new Templates(Path.of(templatesDir));
        }
        return templates;
    }

    @BindToRegistry("fileChannel")
    public ChannelSettings fileChannel() {
        return ChannelSettings.of("file", fileDir, fileStatuses);
    }
}
