package dev.ftnotifier.config;

import dev.ftnotifier.discover.Discovery;
import dev.ftnotifier.notify.EmailMessages;
import dev.ftnotifier.notify.FailureReason;
import dev.ftnotifier.notify.PossibleDuplicates;
import dev.ftnotifier.notify.SlackMessages;
import dev.ftnotifier.notify.Templates;
import dev.ftnotifier.notify.FileDocuments;
import dev.ftnotifier.notify.NotificationFactory;
import dev.ftnotifier.openai.ApiProblems;
import dev.ftnotifier.openai.ApiRequest;
import dev.ftnotifier.openai.JobCheck;
import dev.ftnotifier.openai.RateLimitGate;
import dev.ftnotifier.notify.ChannelBreakers;
import dev.ftnotifier.notify.Channels;
import dev.ftnotifier.notify.DeliveryFacts;
import dev.ftnotifier.state.Backoff;
import dev.ftnotifier.state.DeliveryStore;
import dev.ftnotifier.state.StateStore;
import dev.ftnotifier.state.PassedDeliveries;
import dev.ftnotifier.state.PendingReport;
import dev.ftnotifier.state.FinishedJobs;
import dev.ftnotifier.state.Maintenance;
import dev.ftnotifier.state.Outcomes;
import dev.ftnotifier.notify.Digests;
import dev.ftnotifier.state.StatusEpisodes;
import dev.ftnotifier.status.StatusMeanings;
import dev.ftnotifier.watch.StuckJobs;
import dev.ftnotifier.watch.WatchList;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The beans the routes in {@code routes/} call, built from {@code application.properties}.
 */
public class NotifierConfiguration implements CamelConfiguration {

    @PropertyInject("openai.api-key")
    private String apiKey;
    @PropertyInject("openai.base-url")
    private String baseUrl;
    @PropertyInject("openai.organization")
    private String organization;
    @PropertyInject("openai.project")
    private String project;
    @PropertyInject("notifier.jobs")
    private String jobs;
    @PropertyInject("notifier.jobs-file")
    private String jobsFile;
    @PropertyInject("notifier.state.dir")
    private String stateDir;
    @PropertyInject("notifier.templates.dir")
    private String templatesDir;
    @PropertyInject("notifier.retry.initial-backoff")
    private String retryInitialBackoff;
    @PropertyInject("notifier.retry.max-backoff")
    private String retryMaxBackoff;
    @PropertyInject("notifier.stuck.after")
    private String stuckAfter;
    @PropertyInject("notifier.stuck.past-estimate")
    private String stuckPastEstimate;
    @PropertyInject("notifier.digest.cron")
    private String digestCron;
    @PropertyInject("notifier.digest.channels")
    private String digestChannels;
    @PropertyInject("notifier.digest.skip-empty")
    private String digestSkipEmpty;
    @PropertyInject("notifier.state.retention")
    private String retention;
    @PropertyInject("notifier.version")
    private String version;

    @PropertyInject("notifier.discover")
    private String discover;

    @PropertyInject("notifier.routes")
    private String routesDsl;
    @PropertyInject("notifier.routes.dir")
    private String routesDir;
    @PropertyInject("notifier.routes.reload")
    private boolean routesReload;
    @PropertyInject("notifier.routes.reload-interval")
    private String routesReloadInterval;

    /** notifier.state.store: the journal or PostgreSQL (dev.ftnotifier.state.jdbc.StateStoreConfiguration). */
    @BeanInject("stateStore")
    private StateStore stateStore;

    // beans several others share: made once, on first use
    private FinishedJobs finishedJobs;
    private WatchList watchList;
    private DeliveryStore deliveryStore;
    private Templates templates;
    private StatusEpisodes statusEpisodes;
    private Outcomes outcomes;
    private ApiProblems apiProblems;
    private RateLimitGate rateLimitGate;
    private StatusMeanings statusMeanings;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // settings were checked by StartupChecks before the routes loaded
        if (routesReload) {
            Path folder = Path.of(routesDir.trim());
            camelContext.addService(new RouteReloader(camelContext, folder, StartupChecks.realFolder(folder),
                    "*.camel." + routesDsl.trim(), TimeUtils.toMilliSeconds(routesReloadInterval)));
        }
        configureChannels(camelContext);
    }

    /**
     * The channel instances (notifier.file/slack/email.* and notifier.channel.<name>.*): the
     * {@code channels} bean the routes filter with, each instance's beans, and its routes from
     * the templates in routes/channel-templates.camel.yaml.
     */
    private void configureChannels(CamelContext camelContext) {
        ChannelDefinitions definitions = ChannelDefinitions.read(channelSettings(camelContext.getPropertiesComponent()));
        DeliveryStore ledger = camelContext.getRegistry().lookupByNameAndType("deliveryStore", DeliveryStore.class);
        ledger.rewrittenInPlace(definitions.all().stream().filter(d -> d.type().rewritesInPlace())
                .map(ChannelDefinitions.Definition::name).collect(java.util.stream.Collectors.toSet()));
        Channels channels;
        try {
            channels = new Channels(definitions.settings(), ledger, JobIds.parseList(digestChannels, "notifier.digest.channels"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        camelContext.getRegistry().bind("channels", channels);
        camelContext.getRegistry().bind("channelBreakers", new ChannelBreakers(camelContext));
        ChannelRoutes.install(camelContext, definitions, "fine-tuning-notifier/" + version);
    }

    private static ChannelDefinitions.Settings channelSettings(PropertiesComponent properties) {
        return new ChannelDefinitions.Settings() {
            @Override
            public Set<String> keys() {
                // files and overrides; -D too, since an instance may be declared there (the environment can only fill in values)
                Set<String> keys = new TreeSet<>(properties.loadProperties(k -> k.startsWith("notifier.")).stringPropertyNames());
                System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("notifier.")).forEach(keys::add);
                return keys;
            }

            @Override
            public String get(String key) {
                return properties.resolveProperty(key).orElse(null);
            }
        };
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
            finishedJobs = stateStore.finishedJobs(Path.of(stateDir));
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

    @BindToRegistry("deliveryStore")
    public DeliveryStore deliveryStore() {
        if (deliveryStore == null) {
            Backoff backoff = new Backoff(Duration.ofMillis(TimeUtils.toMilliSeconds(retryInitialBackoff)),
                    Duration.ofMillis(TimeUtils.toMilliSeconds(retryMaxBackoff)));
            deliveryStore = stateStore
                    .deliveries(Path.of(stateDir), backoff, Clock.systemUTC());
        }
        return deliveryStore;
    }

    @BindToRegistry("statusEpisodes")
    public StatusEpisodes statusEpisodes() {
        if (statusEpisodes == null) {
            statusEpisodes = new StatusEpisodes(stateStore.episodeRecords(Path.of(stateDir)), Clock.systemUTC(), outcomes());
        }
        return statusEpisodes;
    }

    @BindToRegistry("stuckJobs")
    public StuckJobs stuckJobs() {
        return new StuckJobs(statusEpisodes(), Duration.ofMillis(TimeUtils.toMilliSeconds(stuckAfter.trim())),
                Duration.ofMillis(TimeUtils.toMilliSeconds(stuckPastEstimate.trim())), Clock.systemUTC());
    }

    private Outcomes outcomes() {
        if (outcomes == null) {
            outcomes = new Outcomes(stateStore.outcomeRecords(Path.of(stateDir)), Clock.systemUTC());
        }
        return outcomes;
    }

    @BindToRegistry("digests")
    public Digests digests() {
        // an empty cron never fires this bean (the digest route stays stopped); Schedules checked the expression
        String cron = digestCron == null || digestCron.isBlank() ? Schedules.NEVER : digestCron.trim();
        return new Digests(cron, !"false".equals(digestSkipEmpty.trim()), outcomes(), statusEpisodes(), stuckJobs(),
                deliveryStore(), apiProblems());
    }

    @BindToRegistry("maintenance")
    public Maintenance maintenance() {
        return new Maintenance(deliveryStore(), finishedJobs(), statusEpisodes(), outcomes(),
                Duration.ofMillis(TimeUtils.toMilliSeconds(retention.trim())), Boolean.parseBoolean(discover.trim()),
                () -> watchList().watched());
    }

    @BindToRegistry("passedDeliveries")
    public PassedDeliveries passedDeliveries() {
        return new PassedDeliveries(deliveryStore(), finishedJobs(), statusEpisodes());
    }

    @BindToRegistry("pendingReport")
    public PendingReport pendingReport() {
        return new PendingReport(deliveryStore(), finishedJobs(), Path.of(stateDir), Clock.systemUTC());
    }

    @BindToRegistry("apiRequest")
    public ApiRequest apiRequest() {
        return new ApiRequest(apiKey, organization, project, version);
    }

    @BindToRegistry("apiProblems")
    public ApiProblems apiProblems() {
        if (apiProblems == null) {
            apiProblems = new ApiProblems(baseUrl, Clock.systemUTC(), rateLimitGate());
        }
        return apiProblems;
    }

    /** Asked before every request to the API; closed by a 429 (routes/error-handling.camel.yaml, api-failures). */
    @BindToRegistry("rateLimitGate")
    public RateLimitGate rateLimitGate() {
        if (rateLimitGate == null) {
            rateLimitGate = new RateLimitGate(baseUrl, Clock.systemUTC());
        }
        return rateLimitGate;
    }

    @BindToRegistry("jobCheck")
    public JobCheck jobCheck() {
        return new JobCheck();
    }

    @BindToRegistry("notificationFactory")
    public NotificationFactory notificationFactory() {
        return new NotificationFactory(Clock.systemUTC());
    }

    @BindToRegistry("failureReason")
    public FailureReason failureReason() {
        return new FailureReason();
    }

    @BindToRegistry("possibleDuplicates")
    public PossibleDuplicates possibleDuplicates() {
        return new PossibleDuplicates();
    }

    @BindToRegistry("fileDocuments")
    public FileDocuments fileDocuments() {
        return new FileDocuments();
    }

    @BindToRegistry("discovery")
    public Discovery discovery(CamelContext camelContext) {
        return new Discovery(stateStore.documents(Path.of(stateDir)),
                Boolean.parseBoolean(discover.trim()), watchList(), finishedJobs(), statusMeanings(camelContext)::terminal);
    }

    /** What a status means, asked of the route status-meaning (routes/route-by-status.camel.yaml). */
    @BindToRegistry("statusMeanings")
    public StatusMeanings statusMeanings(CamelContext camelContext) {
        if (statusMeanings == null) {
            statusMeanings = new StatusMeanings(camelContext);
        }
        return statusMeanings;
    }

    /** The variables a channel route reads of its delivery (routes/channel-templates.camel.yaml). */
    @BindToRegistry("deliveryFacts")
    public DeliveryFacts deliveryFacts() {
        return new DeliveryFacts();
    }

    @BindToRegistry("slackMessages")
    public SlackMessages slackMessages() {
        return new SlackMessages(templates());
    }

    @BindToRegistry("emailMessages")
    public EmailMessages emailMessages() {
        return new EmailMessages(templates());
    }

    private Templates templates() {
        if (templates == null) {
            templates = new Templates(Path.of(templatesDir));
        }
        return templates;
    }
}
