package dev.switchboard.hardware;

import dev.switchboard.model.DeploymentKey;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.ProviderType;
import dev.switchboard.routing.Signals;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each model fits this machine, for routing: the hardware-fit gate ({@link #unfit}) and the selector's hardware
 * bonus ({@link #bonus}). Both run per candidate per request, so the requirement estimate is kept per model and the
 * verdict per model and hardware snapshot: a request costs a map lookup and two identity checks.
 *
 * <p>The gate refuses only in-process models ({@code local}): this process would hold their weights. Ollama and LM
 * Studio manage their own memory and may run on another host, so for them fit only moves the ranking. A model that is
 * already loaded fits by definition: its memory is already taken, which is why available RAM looks short.
 */
public final class HardwareFit {
    private final HardwareDetector detector;
    private final Map<DeploymentKey, Verdict> verdicts = new ConcurrentHashMap<>();

    /** One model's fit against one hardware snapshot. */
    public record Verdict(ModelInfo model, HardwareInfo hardware, Compatibility compatibility, double bonus) {}

    public HardwareFit(HardwareDetector detector) {
        this.detector = detector;
    }

    public HardwareDetector detector() {
        return detector;
    }

    /** Models whose provider runs them on a machine it manages: in-process, Ollama, LM Studio. */
    public static boolean isLocal(ModelInfo m) {
        return m.providerType() == ProviderType.LOCAL || m.providerType() == ProviderType.OLLAMA
                || m.providerType() == ProviderType.LM_STUDIO;
    }

    /** The verdict for a local model now; null for a cloud model. */
    public Verdict verdict(ModelInfo m) {
        if (!isLocal(m)) {
            return null;
        }
        HardwareInfo hw = detector.current();
        DeploymentKey key = m.deployment();
        Verdict v = verdicts.get(key);
        if (v != null && v.model() == m && v.hardware() == hw) {
            return v;
        }
        ModelRequirements need = v != null && v.model() == m ? v.compatibility().requirements() : RequirementEstimator.estimate(m);
        Compatibility c = Compatibility.check(hw, need);
        v = new Verdict(m, hw, c, bonus(m, hw, c));
        verdicts.put(key, v);
        return v;
    }

    /** Why a local in-process model cannot run here, or null (cloud models, loaded models, models that fit). */
    public String unfit(ModelInfo m) {
        if (m.providerType() != ProviderType.LOCAL || Boolean.TRUE.equals(m.loaded())) {
            return null;
        }
        Verdict v = verdict(m);
        return v.compatibility().compatible() ? null
                : "does not fit this machine: " + String.join("; ", v.compatibility().warnings());
    }

    /** The seed's hardware-compatibility bonus, 0 to 1.5; 0 for cloud models. */
    public double bonus(ModelInfo m) {
        Verdict v = verdict(m);
        return v == null ? 0 : v.bonus();
    }

    /**
     * The seed's {@code _calculate_hardware_compatibility_bonus}: 1.0 with half again the RAM needed, 0.5 with enough,
     * 0.1 when 80% is there; plus 0.5 when a GPU can take it. A loaded model counts as having the RAM.
     */
    static double bonus(ModelInfo m, HardwareInfo hw, Compatibility c) {
        double need = c.requirements().ramGb();
        double have = hw.availableRamGb();
        double ram;
        if (Boolean.TRUE.equals(m.loaded()) || have >= need * 1.5) {
            ram = 1.0;
        } else if (have >= need) {
            ram = 0.5;
        } else if (have >= need * 0.8) {
            ram = 0.1;
        } else {
            ram = 0;
        }
        boolean gpu = c.gpu() || (Boolean.TRUE.equals(m.loaded()) && hw.hasGpu());
        return ram + (gpu ? 0.5 : 0);
    }

    /** {@code history}'s signals with this machine's hardware bonus added. */
    public Signals signals(Signals history) {
        Signals base = history == null ? Signals.NONE : history;
        return new Signals() {
            @Override
            public double hardwareBonus(ModelInfo model) {
                return bonus(model);
            }

            @Override
            public double historyBonus(ModelInfo model) {
                return base.historyBonus(model);
            }

            @Override
            public double observedLatencyMs(ModelInfo model) {
                return base.observedLatencyMs(model);
            }
        };
    }
}
