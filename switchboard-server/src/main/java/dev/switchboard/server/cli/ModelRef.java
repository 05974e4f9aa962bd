package dev.switchboard.server.cli;

/** {@code provider:model} on the command line; a bare name means the given default provider. */
record ModelRef(String provider, String model) {
    static ModelRef parse(String ref, String explicitProvider, String defaultProvider) {
        if (ref == null || ref.isBlank()) {
            throw new CliException("a model name is required");
        }
        if (explicitProvider != null) {
            return new ModelRef(explicitProvider, ref);
        }
        // Ollama names carry a tag after a colon (llama3.2:3b): only a known provider prefix is split off.
        int colon = ref.indexOf(':');
        if (colon > 0 && ref.substring(0, colon).equals(defaultProvider)) {
            return new ModelRef(defaultProvider, ref.substring(colon + 1));
        }
        return new ModelRef(defaultProvider, ref);
    }
}
