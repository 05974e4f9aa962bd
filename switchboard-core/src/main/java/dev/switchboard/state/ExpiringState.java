package dev.switchboard.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Small records that expire, shared by replicas in its Redis form: values by key (a browser session, a pending
 * OAuth sign-in) and capped lists of events (what a frontend reports). Values are opaque strings; whoever stores a
 * secret seals it first, so neither the data directory nor Redis ever holds one in clear text. An expired value
 * reads as absent at once, whether or not its storage has been cleaned yet.
 */
public interface ExpiringState {
    /** Stores {@code value} under {@code key} until {@code expiresAt}, replacing what was there. */
    void put(String key, String value, Instant expiresAt);

    /** The value under {@code key}, empty when there is none or it has expired. */
    Optional<String> get(String key);

    /** Reads and removes in one step, so a one-time value (an OAuth state) can be used once, by one replica. */
    Optional<String> take(String key);

    void delete(String key);

    /**
     * Appends {@code value} to the list {@code list}, keeping the newest {@code max}; the list goes when
     * {@code expiresAt} passes without another append.
     */
    void append(String list, String value, int max, Instant expiresAt);

    /** Up to {@code limit} of the newest values of {@code list}, newest first. */
    List<String> recent(String list, int limit);
}
