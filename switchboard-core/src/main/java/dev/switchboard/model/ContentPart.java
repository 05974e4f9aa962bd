package dev.switchboard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One piece of a message's content. Text and images are understood by every translation; anything else (audio,
 * files, parts a newer API version adds) travels as {@link Opaque}: unchanged to an upstream of the dialect it came
 * in, refused by name everywhere else.
 */
public sealed interface ContentPart {

    /**
     * Text. {@code extras} are the part's other fields in the door's dialect (a {@code cache_control} marker, say),
     * passed on to an upstream of that dialect.
     */
    record Text(String text, Map<String, JsonNode> extras) implements ContentPart {
        public Text {
            text = text == null ? "" : text;
            extras = extras == null || extras.isEmpty() ? Map.of() : Map.copyOf(extras);
        }

        public Text(String text) {
            this(text, null);
        }
    }

    /**
     * An image, by URL or inline. {@code detail} is OpenAI's resolution hint (auto, low, high), null when not given.
     */
    record Image(ImageSource source, String detail, Map<String, JsonNode> extras) implements ContentPart {
        public Image {
            if (source == null) {
                throw new InvalidRequestException("image", "an image needs a URL or inline data");
            }
            extras = extras == null || extras.isEmpty() ? Map.of() : Map.copyOf(extras);
        }

        public Image(ImageSource source, String detail) {
            this(source, detail, null);
        }
    }

    /** A part this model does not interpret, as the door received it (in the request's dialect). */
    record Opaque(String type, JsonNode raw) implements ContentPart {}

    /** The part's fields of the door's dialect that have no canonical meaning. */
    default Map<String, JsonNode> extras() {
        return Map.of();
    }
}
