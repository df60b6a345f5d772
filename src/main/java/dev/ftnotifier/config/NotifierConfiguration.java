package dev.ftnotifier.config;

import dev.ftnotifier.discover.Discovery;
import dev.ftnotifier.notify.ChannelSettings;
import dev.ftnotifier.notify.FileDocuments;
import dev.ftnotifier.notify.NotificationFactory;
import dev.ftnotifier.openai.ApiRequest;
import dev.ftnotifier.openai.JobCheck;
import dev.ftnotifier.state.DeliveryLedger;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.watch.WatchList;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The beans the routes in {@code routes/} call, built from {@code application.properties}.
 */
public class NotifierConfiguration implements CamelConfiguration {

    @PropertyInject("openai.api-key")
    private String apiKey;
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
    @PropertyInject(value = "notifier.version", defaultValue = "dev")
    private String version;

    private FinishedJobs finishedJobs;
    private WatchList watchList;
    @PropertyInject(value = "notifier.discover", defaultValue = "false")
    private String discover;

    @Override
    public void configure(CamelContext camelContext) {
        // settings were checked by StartupChecks before the routes loaded
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

    @BindToRegistry("deliveryLedger")
    public DeliveryLedger deliveryLedger() {
        return new DeliveryLedger(Path.of(stateDir));
    }

    @BindToRegistry("apiRequest")
    public ApiRequest apiRequest() {
        return new ApiRequest(apiKey, organization, project, version);
    }

    @BindToRegistry("jobCheck")
    public JobCheck jobCheck() {
        return new JobCheck();
    }

    @BindToRegistry("notifications")
    public NotificationFactory notifications() {
        return new NotificationFactory(Clock.systemUTC());
    }

    @BindToRegistry("fileDocuments")
    public FileDocuments fileDocuments() {
        return new FileDocuments();
    }

    @BindToRegistry("discovery")
    public Discovery discovery() {
        return new Discovery(Path.of(stateDir), Boolean.parseBoolean(discover.trim()), watchList(), finishedJobs());
    }

    @BindToRegistry("fileChannel")
    public ChannelSettings fileChannel() {
        return ChannelSettings.of("file", fileDir, fileStatuses);
    }
}
