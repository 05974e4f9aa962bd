package dev.switchboard.hardware;

/**
 * What a model needs to run: RAM and, to run on a GPU, VRAM, in GiB. {@code source} says where the figures come
 * from ({@code gguf} header, {@code ollama} details, {@code file_size}, the seed's {@code table}, or
 * {@code default}: 8 GB RAM / 4 GB VRAM for a model nothing is known about).
 */
public record ModelRequirements(double ramGb, double vramGb, String source) {
    public static final ModelRequirements DEFAULT = new ModelRequirements(8, 4, "default");
}
