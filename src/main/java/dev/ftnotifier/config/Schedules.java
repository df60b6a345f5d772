package dev.ftnotifier.config;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cron schedules of routes/poll.camel.yaml and routes/schedules.camel.yaml, checked before the
 * routes load. camel-quartz refuses an empty cron even on a route that is not started, so each
 * schedule becomes two derived keys the routes read: {@code notifier.schedule.<name>.on} (its
 * route's autoStartup) and {@code notifier.schedule.<name>.cron} (the expression, or one that
 * never fires while it is off). The operator's keys are left as they are.
 */
final class Schedules extends MainListenerSupport {

    /** A valid expression that does not fire before 2099: the cron of a schedule that is off. */
    static final String NEVER = "0 0 0 1 1 ? 2099";

    /** Schedule name (in the derived keys) to the operator's key. */
    static final Map<String, String> CRONS = Map.of(
            "poll", "notifier.poll-cron",
            "stuck", "notifier.stuck.cron",
            "digest", "notifier.digest.cron",
            "maintenance", "notifier.maintenance.cron");

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        derive(key -> properties.resolveProperty(key).orElse("")).forEach(properties::addOverrideProperty);
    }

    static Map<String, String> derive(StartupChecks.Settings settings) {
        Map<String, String> derived = new LinkedHashMap<>();
        CRONS.forEach((name, key) -> {
            String cron = settings.get(key).trim();
            if (!cron.isEmpty()) {
                try {
                    CronExpression.validateExpression(cron);
                } catch (ParseException e) {
                    throw new ConfigurationException(key + " is not a Quartz cron expression (seconds minutes hours"
                            + " day-of-month month day-of-week [year], e.g. 0 0 8 ? * MON-FRI): '" + JobIds.printable(cron)
                            + "': " + e.getMessage());
                }
            }
            boolean on = !cron.isEmpty();
            if (name.equals("stuck")) {
                on = on && duration(settings, "notifier.stuck.after") > 0;
            }
            derived.put("notifier.schedule." + name + ".on", String.valueOf(on));
            derived.put("notifier.schedule." + name + ".cron", on ? cron : NEVER);
        });
        // polling runs on the cron when one is set, else on notifier.poll-interval
        derived.put("notifier.schedule.poll-timer.on", String.valueOf(!Boolean.parseBoolean(derived.get("notifier.schedule.poll.on"))));
        for (String key : new String[] {"notifier.stuck.after", "notifier.stuck.past-estimate", "notifier.state.retention"}) {
            duration(settings, key);
        }
        derived.putAll(dev.ftnotifier.enrich.EnrichSettings.derive(settings::get));
        return derived;
    }

    static long duration(StartupChecks.Settings settings, String key) {
        String value = settings.get(key).trim();
        try {
            long millis = value.isEmpty() ? 0 : TimeUtils.toMilliSeconds(value);
            if (millis < 0) {
                throw new IllegalArgumentException("negative");
            }
            return millis;
        } catch (RuntimeException e) {
            throw new ConfigurationException(key + " must be a duration (30m, 24h, 2d; 0 = off), not '" + JobIds.printable(value) + "'");
        }
    }
}
