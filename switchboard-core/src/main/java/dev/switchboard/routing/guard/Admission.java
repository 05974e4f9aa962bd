package dev.switchboard.routing.guard;

/** A guard's answer for one deployment and one call: admitted, or refused with the reason and what it would take. */
public sealed interface Admission {
    /** Admitted, owing nothing back. */
    Admission ADMITTED = new Admitted(Permit.NONE);

    /** What a refusal depends on, which decides what the caller is told when every candidate is refused. */
    enum Hold {
        /** The deployment cannot take calls like this one now (context window, hardware, breaker, budget). */
        DEPLOYMENT,
        /** The request asks for something this deployment cannot do (a capability, a field): a 400 if no one can. */
        REQUEST,
        /** Passes when calls in flight finish (max_parallel_requests). */
        LOAD,
        /** Passes when the deployment's cooldown ends. */
        COOLDOWN,
        /** Passes when the rate window moves on (rpm, tpm). */
        WINDOW;

        /** Refusals that pass with time or load: a 429 rather than a 503 when they are all there is. */
        public boolean passes() {
            return this == LOAD || this == COOLDOWN || this == WINDOW;
        }
    }

    /** Why the deployment was refused; null when it was admitted. */
    String reason();

    /** Admitted; {@code permit} is what the call owes the guard afterwards. */
    record Admitted(Permit permit) implements Admission {
        @Override
        public String reason() {
            return null;
        }
    }

    static Admitted admitted(Permit permit) {
        return new Admitted(permit);
    }

    /**
     * {@code field} names the request field at fault for {@link Hold#REQUEST}, and {@code capability} the capability
     * the model lacks when that is the reason; both null otherwise.
     */
    record Refused(String reason, Hold hold, String field, String capability) implements Admission {
        public Refused with(String more) {
            return new Refused(reason + "; " + more, hold, field, capability);
        }
    }

    static Refused refused(String reason, Hold hold) {
        return new Refused(reason, hold, null, null);
    }

    /** The model lacks a capability the request needs ({@code why} says what in {@code field} needs it). */
    static Refused lacks(String capability, String field, String why) {
        return new Refused("lacks " + capability + " (" + why + ")", Hold.REQUEST, field, capability);
    }

    /** The provider's wire format cannot carry a field of the request. */
    static Refused cannotCarry(String field, String why) {
        return new Refused("cannot take " + field + ": " + why, Hold.REQUEST, field, null);
    }
}
