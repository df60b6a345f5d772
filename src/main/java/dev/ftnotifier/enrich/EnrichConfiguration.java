package dev.ftnotifier.enrich;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;

/** The beans routes/enrich.camel.yaml calls. */
public class EnrichConfiguration implements CamelConfiguration {

    @PropertyInject("notifier.dashboard-url")
    private String dashboardUrl;
    @PropertyInject("openai.base-url")
    private String baseUrl;

    @BindToRegistry("jobContexts")
    public JobContexts jobContexts() {
        return new JobContexts(dashboardUrl, baseUrl);
    }

    @BindToRegistry("resultFiles")
    public ResultFiles resultFiles() {
        return new ResultFiles();
    }

    @BindToRegistry("resourceBody")
    public ResourceBody resourceBody() {
        return new ResourceBody();
    }

    @BindToRegistry("jobLists")
    public JobLists jobLists() {
        return new JobLists();
    }
}
