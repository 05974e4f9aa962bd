package dev.switchboard.model;

/**
 * What an upstream said when it refused a call, in its own terms and with credentials already removed: its message,
 * and OpenAI's {@code type}, {@code code} and {@code param} where the upstream gives them (others give a type only).
 * A caller whose request the upstream refused gets these back unchanged.
 */
public record UpstreamError(String message, String type, String code, String param) {}
