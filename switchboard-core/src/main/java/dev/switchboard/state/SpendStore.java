package dev.switchboard.state;

/**
 * Money spent, in USD, per scope (the whole service, or one provider) and period (a UTC day such as
 * {@code 2026-11-26} or a month such as {@code 2026-11}). Shared by replicas in its Redis form.
 */
public interface SpendStore {
    /** Adds {@code usd} and returns the new total. */
    double add(String scope, String period, double usd);

    double spent(String scope, String period);
}
