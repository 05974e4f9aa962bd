package dev.switchboard.model;

import dev.switchboard.config.Secret;

/**
 * Who a request is for and who pays for it upstream. The {@link #OPERATOR} pays with the keys in the configuration;
 * a user who connected their own OpenRouter key (a browser session) pays for their OpenRouter calls with it, so
 * those calls are charged to them, not against the operator's budgets, and a failure that belongs to their key
 * (rejected, out of credits, rate-limited) does not cool the deployment down for everyone else.
 *
 * @param id            a stable, non-secret id for attribution ({@code operator}, or the session user's id)
 * @param name          how to show the caller (the key's label), may be null
 * @param openRouterKey the user's own OpenRouter key, or null
 */
public record Caller(String id, String name, Secret openRouterKey) {
    public static final Caller OPERATOR = new Caller("operator", null, null);

    public Caller {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a caller needs an id");
        }
    }

    /** Whether this caller's own key pays for calls to a provider of this type. */
    public boolean paysFor(ProviderType type) {
        return openRouterKey != null && type == ProviderType.OPENROUTER;
    }

    /**
     * Whether a failure of a call to {@code type} is this caller's own: their key was used and the upstream turned
     * the key away (rejected, no credits left) or limited it. Such a failure says nothing about the deployment.
     */
    public boolean owns(ProviderType type, ModelFailure f) {
        return paysFor(type) && (f instanceof ModelFailure.AuthFailed || f instanceof ModelFailure.RateLimited);
    }

    /** What a routing explanation notes about who paid a call to {@code type}: null when the operator did. */
    public String paymentNote(ProviderType type) {
        return paysFor(type) ? "OpenRouter key: user's own" : null; // only OpenRouter takes a caller's own key
    }
}
