package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the seed's YAML unchanged: {@code ${VAR}} / {@code ${VAR:-default}} substitution, the seed's environment
 * overrides, unknown keys reported as warnings, and errors that name the key, the value and what was expected.
 */
public final class ConfigLoader {
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    // A key written twice would otherwise silently drop the first block (a whole provider, say).
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper BINDER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Seed environment variables that override a config value (env var → path under model_management). */
    private static final Map<String, String[]> ENV_OVERRIDES = Map.of(
            "OPENROUTER_API_KEY", new String[] {"providers", "openrouter", "api_key"});

    private ConfigLoader() {}

    /**
     * Finds the configuration the way the CLI documents it: an explicit file, else {@code SWITCHBOARD_CONFIG},
     * else {@code ./switchboard.yaml}, else {@code ~/.switchboard/config.yaml}, else the zero configuration.
     */
    public static SwitchboardConfig.Loaded locateAndLoad(Path explicit, Map<String, String> env) {
        return locateAndLoad(explicit, env, "");
    }

    /**
     * As {@link #locateAndLoad(Path, Map)}, with {@code zeroConfigYaml} as the configuration when no file is found:
     * the application decides what it serves out of the box (the server: the local models directory).
     */
    public static SwitchboardConfig.Loaded locateAndLoad(Path explicit, Map<String, String> env, String zeroConfigYaml) {
        if (explicit != null) {
            return load(explicit, env);
        }
        String fromEnv = env.get("SWITCHBOARD_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return load(Path.of(fromEnv), env);
        }
        Path local = Path.of("switchboard.yaml");
        if (Files.isRegularFile(local)) {
            return load(local, env);
        }
        String home = env.getOrDefault("SWITCHBOARD_HOME", System.getProperty("user.home") + "/.switchboard");
        Path user = Path.of(home, "config.yaml");
        if (Files.isRegularFile(user)) {
            return load(user, env);
        }
        return parse(zeroConfigYaml, "built-in defaults (no configuration file)", env);
    }

    public static SwitchboardConfig.Loaded load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), env);
    }

    public static SwitchboardConfig.Loaded parse(String yaml, String source, Map<String, String> env) {
        List<String> warnings = new ArrayList<>();
        JsonNode root;
        try {
            root = yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + where(e) + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": expected a mapping with a 'model_management:' section at the top level");
        }
        substitute(root, "", env, warnings);
        applyEnvOverrides((ObjectNode) root, env);
        InertKeys.report(root, warnings);

        UnknownKeys unknown = new UnknownKeys(warnings);
        SwitchboardConfig config;
        try {
            config = BINDER.readerFor(SwitchboardConfig.class).withHandler(unknown).readValue(root);
        } catch (IOException e) {
            throw new ConfigException(source + ": " + describe(e), e);
        }
        ConfigValidator.validate(config, source);
        return new SwitchboardConfig.Loaded(config, source, List.copyOf(warnings));
    }

    /** The dotted key path where parsing stopped, for errors such as a duplicate key; empty when unknown. */
    private static String where(JsonProcessingException e) {
        if (e instanceof StreamReadException sre && sre.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
            String path = UnknownKeys.pointerToPath(p.getParsingContext().pathAsPointer().toString());
            return path.isEmpty() ? "" : path + ": ";
        }
        return "";
    }

    private static void substitute(JsonNode node, String path, Map<String, String> env, List<String> warnings) {
        if (node instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = obj.get(name);
                String childPath = path.isEmpty() ? name : path + "." + name;
                if (child.isTextual()) {
                    String replaced = expand(child.asText(), childPath, env, warnings);
                    if (replaced == null) {
                        obj.remove(name);
                    } else if (!replaced.equals(child.asText())) {
                        obj.set(name, TextNode.valueOf(replaced));
                    }
                } else {
                    substitute(child, childPath, env, warnings);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                String childPath = path + "[" + i + "]";
                if (child.isTextual()) {
                    String replaced = expand(child.asText(), childPath, env, warnings);
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i,
                            replaced == null ? JsonNodeFactory.instance.nullNode() : TextNode.valueOf(replaced));
                } else {
                    substitute(child, childPath, env, warnings);
                }
            }
        }
    }

    /** Expands {@code ${VAR}} references; a value that is only an unset reference becomes absent. */
    private static String expand(String value, String path, Map<String, String> env, List<String> warnings) {
        if (!value.contains("${")) {
            return value;
        }
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean anyUnset = false;
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null || v.isEmpty()) {
                v = m.group(2);
            }
            if (v == null) {
                anyUnset = true;
                warnings.add(path + ": environment variable " + m.group(1) + " is not set");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        String result = out.toString();
        return anyUnset && result.isBlank() ? null : result;
    }

    private static void applyEnvOverrides(ObjectNode root, Map<String, String> env) {
        JsonNode mm = root.get("model_management");
        if (!(mm instanceof ObjectNode mmObj)) {
            return;
        }
        for (Map.Entry<String, String[]> e : ENV_OVERRIDES.entrySet()) {
            String value = env.get(e.getKey());
            if (value == null || value.isBlank()) {
                continue;
            }
            String[] path = e.getValue();
            JsonNode parent = mmObj;
            for (int i = 0; i < path.length - 1 && parent != null; i++) {
                parent = parent.get(path[i]);
            }
            // Only an existing section is overridden; an env var alone does not switch a provider on.
            if (parent instanceof ObjectNode target) {
                target.put(path[path.length - 1], value);
            }
        }
    }

    static String describe(IOException e) {
        if (e instanceof InvalidFormatException ife) {
            return path(ife) + ": '" + ife.getValue() + "' is not valid here, expected " + expected(ife.getTargetType());
        }
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            return path(vie) + ": " + vie.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mie) {
            Class<?> target = mie.getTargetType();
            return path(mie) + ": expected " + (target == null ? "a different kind of value" : expected(target));
        }
        if (e instanceof JsonMappingException jme) {
            return path(jme) + ": " + jme.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return e.getMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(top level)" : sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class || type == Secret.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    /** Collects unknown keys as warnings instead of failing, so a newer or richer seed file still loads. */
    private static final class UnknownKeys extends DeserializationProblemHandler {
        private final List<String> warnings;

        UnknownKeys(List<String> warnings) {
            this.warnings = warnings;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            JsonStreamContext holder = p.getParsingContext();
            if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
                holder = holder.getParent(); // a mapping or list value has already opened a context of its own
            }
            String parent = pointerToPath(holder.getParent() == null ? "" : holder.getParent().pathAsPointer().toString());
            String key = parent.isEmpty() ? propertyName : parent + "." + propertyName;
            warnings.add("unknown key '" + key + "' ignored");
            p.skipChildren();
            return true;
        }

        private static String pointerToPath(String pointer) {
            StringBuilder sb = new StringBuilder();
            Iterator<String> parts = java.util.Arrays.stream(pointer.split("/")).filter(s -> !s.isEmpty()).iterator();
            while (parts.hasNext()) {
                String part = parts.next().replace("~1", "/").replace("~0", "~");
                if (part.chars().allMatch(Character::isDigit)) {
                    sb.append('[').append(part).append(']');
                } else {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(part);
                }
            }
            return sb.toString();
        }
    }
}
