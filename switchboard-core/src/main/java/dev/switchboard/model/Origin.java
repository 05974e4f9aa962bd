package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a door received beyond the canonical request: its dialect, the top-level fields it did not map
 * ({@code extras}, passed unchanged to an upstream of the same dialect and refused by name by any other), and how
 * it spelled fields it did map, so an upstream of the same dialect gets the request back as the client sent it.
 */
public record Origin(Dialect dialect, Map<String, JsonNode> extras, Set<Spelling> spelling) {
    public static final Origin NONE = new Origin(Dialect.NONE, Map.of(), Set.of());

    /** Spellings of one dialect for a field with one canonical meaning. */
    public enum Spelling {
        /** OpenAI: the limit came as {@code max_completion_tokens}, not {@code max_tokens}. */
        MAX_COMPLETION_TOKENS,
        /** OpenAI: tools came as the deprecated {@code functions} and {@code function_call}. */
        LEGACY_FUNCTIONS
    }

    public Origin {
        dialect = dialect == null ? Dialect.NONE : dialect;
        extras = extras == null || extras.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        spelling = spelling == null || spelling.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(spelling));
    }

    public static Origin of(Dialect dialect, Map<String, JsonNode> extras, Set<Spelling> spelling) {
        return new Origin(dialect, extras, spelling);
    }

    public boolean spelled(Spelling s) {
        return spelling.contains(s);
    }

    /** The extras when the upstream speaks this door's dialect; none otherwise. */
    public Map<String, JsonNode> extrasFor(Dialect upstream) {
        return upstream == dialect ? extras : Map.of();
    }
}
