package dev.ftnotifier.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What config/Schedules derives for the routes, and what it refuses before they load. */
class SchedulesSettingsTest {

    private static Map<String, String> defaults() {
        Map<String, String> s = new HashMap<>();
        s.put("notifier.poll-cron", "");
        s.put("notifier.stuck.after", "24h");
        s.put("notifier.stuck.past-estimate", "2h");
        s.put("notifier.stuck.cron", "0 0/5 * * * ?");
        s.put("notifier.digest.cron", "");
        s.put("notifier.maintenance.cron", "0 0 3 * * ?");
        s.put("notifier.state.retention", "30d");
        return s;
    }

    private static Map<String, String> derive(Map<String, String> s) {
        return Schedules.derive(key -> s.getOrDefault(key, ""));
    }

    @Test
    void theDefaultsPollOnTheTimerAndCheckStuckJobsAndMaintainButSendNoDigest() {
        Map<String, String> d = derive(defaults());
        assertEquals("true", d.get("notifier.schedule.poll-timer.on"));
        assertEquals("false", d.get("notifier.schedule.poll.on"));
        assertEquals(Schedules.NEVER, d.get("notifier.schedule.poll.cron"), "camel-quartz refuses an empty cron");
        assertEquals("true", d.get("notifier.schedule.stuck.on"));
        assertEquals("0 0/5 * * * ?", d.get("notifier.schedule.stuck.cron"));
        assertEquals("false", d.get("notifier.schedule.digest.on"));
        assertEquals("true", d.get("notifier.schedule.maintenance.on"));
    }

    @Test
    void aPollCronStopsTheTimer() {
        Map<String, String> s = defaults();
        s.put("notifier.poll-cron", " 0/30 * 7-22 ? * MON-FRI ");
        Map<String, String> d = derive(s);
        assertEquals("false", d.get("notifier.schedule.poll-timer.on"));
        assertEquals("true", d.get("notifier.schedule.poll.on"));
        assertEquals("0/30 * 7-22 ? * MON-FRI", d.get("notifier.schedule.poll.cron"));
    }

    @Test
    void stuckAfterZeroTurnsTheCheckOff() {
        Map<String, String> s = defaults();
        s.put("notifier.stuck.after", "0");
        assertEquals("false", derive(s).get("notifier.schedule.stuck.on"));
    }

    @Test
    void aCronThatIsNotQuartzIsRefusedNamingTheKey() {
        Map<String, String> s = defaults();
        s.put("notifier.digest.cron", "*/5 * * * *");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> derive(s));
        assertTrue(e.getMessage().startsWith("notifier.digest.cron is not a Quartz cron expression"), e.getMessage());
    }

    @Test
    void aBadDurationIsRefusedNamingTheKey() {
        Map<String, String> s = defaults();
        s.put("notifier.state.retention", "a month");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> derive(s));
        assertTrue(e.getMessage().startsWith("notifier.state.retention must be a duration"), e.getMessage());
    }
}
