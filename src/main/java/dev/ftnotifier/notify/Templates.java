package dev.ftnotifier.notify;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator-editable Mustache templates, read from the file system: {@code render("slack/failure", scope)}
 * uses {@code <dir>/slack/failure.mustache}. A file is read again whenever its modification
 * time, size or real path (behind links) changed since the last read, so wording can be changed
 * on a running notifier.
 *
 * <p>One file may hold several parts, each starting with a marker line {@code === name ===};
 * lines before the first marker are notes for the operator and are not rendered.
 *
 * <p>Nothing is HTML-escaped here, not even by {@code {{name}}}: the values in the scope are
 * already escaped for their target (see {@link TemplateValues}), so {@code {{name}}} and
 * {@code {{{name}}}} write the same thing and no template can forget to escape.
 */
public class Templates {

    public static final String EXTENSION = ".mustache";

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*");
    private static final Pattern MARKER = Pattern.compile("^===\\s*([A-Za-z0-9_-]+)\\s*===\\s*$");

    private final Path dir;
    private final Map<String, Template> loaded = new ConcurrentHashMap<>();

    public Templates(Path dir) {
        this.dir = Objects.requireNonNull(dir, "template directory").toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    /** The file behind a template name. */
    public Path file(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TemplateException("not a template name (lower-case words separated by '/'): " + name);
        }
        return dir.resolve(name + EXTENSION);
    }

    /** Renders the whole file as one template. */
    public String render(String name, Object scope) {
        return load(name).render(scope);
    }

    /** Renders one part of a file. */
    public String render(String name, String part, Object scope) {
        return load(name).render(part, scope);
    }

    /** The template as it is on disk now: read again only when the file changed since the last call. */
    public Template load(String name) {
        Path file = file(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new TemplateException("template '" + name + "' not found: no file " + file);
        } catch (IOException e) {
            throw new TemplateException("template '" + name + "' cannot be read: " + file + ": " + e, e);
        }
        if (!attributes.isRegularFile()) {
            throw new TemplateException("template '" + name + "' is not a regular file: " + file);
        }
        // through links (a Kubernetes ConfigMap swaps ..data): the same name may be another file with the same time stamp
        Path source;
        try {
            source = file.toRealPath();
        } catch (IOException e) {
            throw new TemplateException("template '" + name + "' cannot be read: " + file + ": " + e, e);
        }
        Template current = loaded.get(name);
        if (current != null && current.modified.equals(attributes.lastModifiedTime()) && current.size == attributes.size()
                && current.source.equals(source)) {
            return current;
        }
        Template fresh = compile(name, file, source, attributes.lastModifiedTime(), attributes.size());
        loaded.put(name, fresh);
        return fresh;
    }

    private Template compile(String name, Path file, Path source, FileTime modified, long size) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TemplateException("template '" + name + "' not found: no file " + file);
        } catch (IOException e) {
            throw new TemplateException("template '" + name + "' cannot be read (UTF-8 expected): " + file + ": " + e, e);
        }
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        // a fresh factory per read, so partials ({{> x}}) are read again with the file that includes them
        VerbatimMustacheFactory factory = new VerbatimMustacheFactory(dir);
        String label = name + EXTENSION; // relative, so partials resolve beside the file
        Mustache whole = compile(factory, text, label, file);
        Map<String, Mustache> parts = new LinkedHashMap<>();
        String partName = null;
        StringBuilder partText = new StringBuilder();
        // the file's final line break belongs to no part: every part ends where its last line ends
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            Matcher marker = MARKER.matcher(line);
            if (marker.matches()) {
                if (partName != null) {
                    parts.put(partName, compile(factory, partText.toString(), label, file));
                }
                partName = marker.group(1).toLowerCase(Locale.ROOT);
                if (parts.containsKey(partName)) {
                    throw new TemplateException("template " + file + " has the part '" + partName + "' twice");
                }
                partText.setLength(0);
            } else if (partName != null) {
                if (partText.length() > 0) {
                    partText.append('\n');
                }
                partText.append(line);
            }
        }
        if (partName != null) {
            parts.put(partName, compile(factory, partText.toString(), label, file));
        }
        return new Template(name, file, source, modified, size, whole, Collections.unmodifiableMap(parts));
    }

    private static Mustache compile(DefaultMustacheFactory factory, String text, String label, Path file) {
        try {
            return factory.compile(new StringReader(text), label);
        } catch (MustacheException e) {
            throw new TemplateException("template " + file + " is not valid Mustache: " + e.getMessage(), e);
        }
    }

    /** One template file as read at one moment: the whole text and its parts, compiled. */
    public static final class Template {
        private final String name;
        private final Path file;
        private final Path source;
        private final FileTime modified;
        private final long size;
        private final Mustache whole;
        private final Map<String, Mustache> parts;

        private Template(String name, Path file, Path source, FileTime modified, long size, Mustache whole,
                Map<String, Mustache> parts) {
            this.name = name;
            this.file = file;
            this.source = source;
            this.modified = modified;
            this.size = size;
            this.whole = whole;
            this.parts = parts;
        }

        public String name() {
            return name;
        }

        public Path file() {
            return file;
        }

        /** The part names in file order; empty for a file without markers. */
        public Set<String> parts() {
            return parts.keySet();
        }

        public boolean has(String part) {
            return parts.containsKey(part);
        }

        public String render(Object scope) {
            return execute(whole, scope, "");
        }

        public String render(String part, Object scope) {
            Mustache mustache = parts.get(part);
            if (mustache == null) {
                throw new TemplateException("template " + file + " has no part '" + part + "' (a line '=== " + part
                        + " ===' starts it); its parts are " + parts.keySet());
            }
            return execute(mustache, scope, " part " + part);
        }

        private String execute(Mustache mustache, Object scope, String label) {
            StringWriter out = new StringWriter();
            try {
                mustache.execute(out, scope).flush();
            } catch (MustacheException | IOException | UncheckedIOException e) {
                throw new TemplateException("template " + file + label + " failed to render: " + e.getMessage(), e);
            }
            return out.toString();
        }
    }

    /** Writes every value as it is: escaping is done on the values, per target, before rendering. */
    private static final class VerbatimMustacheFactory extends DefaultMustacheFactory {

        VerbatimMustacheFactory(Path root) {
            super(root.toFile());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException("cannot write a value", e);
            }
        }
    }
}
