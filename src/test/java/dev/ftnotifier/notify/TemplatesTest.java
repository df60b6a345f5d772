package dev.ftnotifier.notify;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplatesTest {

    @TempDir
    Path dir;

    Templates templates;

    @BeforeEach
    void setUp() {
        templates = new Templates(dir);
    }

    private Path write(String name, String text, Instant modified) throws IOException {
        Path file = dir.resolve(name + ".mustache");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void rendersAFileFromTheDirectory() throws IOException {
        write("slack/failure", "job {{job_id}} failed", Instant.parse("2024-01-01T00:00:00Z"));
        assertEquals("job ftjob-1 failed", templates.render("slack/failure", Map.of("job_id", "ftjob-1")));
    }

    @Test
    void aChangedFileIsReadAgainOnTheNextRender() throws IOException {
        Path file = write("email/completion", "old wording {{x}}", Instant.parse("2024-01-01T00:00:00Z"));
        assertEquals("old wording 1", templates.render("email/completion", Map.of("x", "1")));

        Files.writeString(file, "new wording {{x}}", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:01:00Z")));

        assertEquals("new wording 1", templates.render("email/completion", Map.of("x", "1")));
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws IOException {
        Instant modified = Instant.parse("2024-01-01T00:00:00Z");
        Path file = write("slack/progress", "one", modified);
        Templates.Template first = templates.load("slack/progress");
        // same size, same mtime: the compiled template is reused
        Files.writeString(file, "two", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        assertTrue(first == templates.load("slack/progress"));
        assertEquals("one", templates.render("slack/progress", Map.of()));
    }

    @Test
    void valuesAreWrittenAsTheyAreEvenByDoubleBraces() throws IOException {
        write("email/failure", "{{v}}|{{{v}}}|{{&v}}", Instant.parse("2024-01-01T00:00:00Z"));
        String raw = "<b>&amp;\"'</b>";
        assertEquals(raw + "|" + raw + "|" + raw, templates.render("email/failure", Map.of("v", raw)));
    }

    @Test
    void aMissingTemplateIsAClearErrorNamingTheFile() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> templates.render("slack/failure", Map.of()));
        assertTrue(e.getMessage().contains(dir.resolve("slack/failure.mustache").toString()), e.getMessage());
    }

    @Test
    void aTemplateDeletedAfterUseIsAlsoAClearError() throws IOException {
        Path file = write("slack/failure", "x", Instant.parse("2024-01-01T00:00:00Z"));
        templates.render("slack/failure", Map.of());
        Files.delete(file);
        TemplateException e = assertThrows(TemplateException.class, () -> templates.render("slack/failure", Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void partsAreSplitByMarkerLinesAndNotesBeforeTheFirstMarkerAreIgnored() throws IOException {
        write("email/failure", """
                Notes for the operator, not rendered.
                === subject ===
                [ft] {{job_id}}
                === text ===
                line 1
                line 2
                ===html===
                <p>{{job_id}}</p>
                """, Instant.parse("2024-01-01T00:00:00Z"));
        Templates.Template template = templates.load("email/failure");
        assertEquals(List.of("subject", "text", "html"), List.copyOf(template.parts()));
        Map<String, Object> scope = Map.of("job_id", "ftjob-1");
        assertEquals("[ft] ftjob-1", template.render("subject", scope));
        assertEquals("line 1\nline 2", template.render("text", scope));
        assertEquals("<p>ftjob-1</p>", template.render("html", scope));
        assertEquals("[ft] ftjob-1", templates.render("email/failure", "subject", scope));
    }

    @Test
    void windowsLineEndingsInATemplateAreAccepted() throws IOException {
        write("slack/failure", "=== header ===\r\nA {{x}}\r\n=== fallback ===\r\nB\r\n", Instant.parse("2024-01-01T00:00:00Z"));
        assertEquals("A 1", templates.render("slack/failure", "header", Map.of("x", "1")));
    }

    @Test
    void aMissingPartIsAClearErrorNamingFileAndPart() throws IOException {
        Path file = write("slack/failure", "=== header ===\nx\n", Instant.parse("2024-01-01T00:00:00Z"));
        TemplateException e = assertThrows(TemplateException.class,
                () -> templates.render("slack/failure", "fallback", Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("fallback"), e.getMessage());
    }

    @Test
    void aPartTwiceIsAnError() throws IOException {
        write("slack/failure", "=== header ===\nx\n=== header ===\ny\n", Instant.parse("2024-01-01T00:00:00Z"));
        TemplateException e = assertThrows(TemplateException.class, () -> templates.load("slack/failure"));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void invalidMustacheIsAClearErrorNamingTheFile() throws IOException {
        Path file = write("slack/failure", "{{#open}} never closed", Instant.parse("2024-01-01T00:00:00Z"));
        TemplateException e = assertThrows(TemplateException.class, () -> templates.load("slack/failure"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aNameCannotLeaveTheDirectory() {
        for (String name : new String[] {"../secret", "/etc/passwd", "slack/../../x", "Slack/Failure", "", null}) {
            assertThrows(TemplateException.class, () -> templates.load(name), String.valueOf(name));
        }
    }

    @Test
    void sectionTagsOnTheirOwnLinesLeaveNoBlankLines() throws IOException {
        write("email/failure", "=== text ===\na\n{{#flag}}\nb\n{{/flag}}\nc\n", Instant.parse("2024-01-01T00:00:00Z"));
        String on = templates.render("email/failure", "text", Map.of("flag", true));
        String off = templates.render("email/failure", "text", Map.of("flag", false));
        assertEquals("a\nb\nc", on);
        assertFalse(off.contains("b"), off);
    }
}
