package dev.ftnotifier.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ftjob-abc/../x", "ftjob?x=1", "ftjob#frag", "ftjob%2F", "..", "ftjob..x", "ftjob abc",
            "ftjob\tx", "/etc/passwd", ".hidden", "ftjob\r\nx"})
    void idsThatCouldChangeTheRequestPathAreRefusedByName(String id) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JobIds.parseList("ftjob-good," + id, "notifier.jobs"));
        assertTrue(e.getMessage().contains("notifier.jobs"), e.getMessage());
        assertTrue(e.getMessage().contains(JobIds.printable(id.trim())), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void plainIdsAreAcceptedTrimmedAndDeduplicated() {
        assertEquals(List.of("ftjob-abc123", "ftjob-DEF_456", "ft-0a1b.c:2"),
                JobIds.parseList(" ftjob-abc123 , ftjob-DEF_456,,ftjob-abc123, ft-0a1b.c:2 ", "notifier.jobs"));
        assertEquals(List.of(), JobIds.parseList("", "notifier.jobs"));
    }

    @Test
    void jobsFileLinesAllowCommentsAndBlankLines() {
        assertEquals(List.of("ftjob-1", "ftjob-2"),
                JobIds.parseLines(List.of("# watched jobs", "ftjob-1  # the big one", "", "  ftjob-2", "ftjob-1"), "jobs.txt"));
    }

    @Test
    void aLenientReadSkipsOnlyTheBadLine() {
        List<String> problems = new ArrayList<>();
        assertEquals(List.of("ftjob-1", "ftjob-3"),
                JobIds.parseLines(List.of("ftjob-1", "ftjob/2", "ftjob-3"), "jobs.txt", e -> problems.add(e.getMessage())));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("ftjob/2"));
    }
}
