package dev.switchboard.local;

import de.kherud.llama.LlamaModel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A model file and, once opened, its llama.cpp model. llama.cpp's model and context are not safe for concurrent
 * use from several threads, so every use holds {@link #lock}: one generation at a time per loaded model, callers
 * waiting in arrival order (a fair lock). Loading happens under the same lock, so concurrent first requests load
 * once. Eviction takes the lock too, so a model is never closed under a running generation.
 */
final class LoadedModel {
    final ModelFile file;
    final ReentrantLock lock = new ReentrantLock(true);
    // guarded by lock
    volatile LlamaModel llama;
    volatile boolean closed;
    boolean hasTemplate;
    boolean addBos;
    int gpuLayers;
    double loadMillis;
    // metrics, read without the lock
    final AtomicLong requests = new AtomicLong();
    final AtomicLong completionTokens = new AtomicLong();
    final AtomicLong generationNanos = new AtomicLong();

    LoadedModel(ModelFile file) {
        this.file = file;
    }

    boolean open() {
        return llama != null && !closed;
    }

    /** Closes the native model; the caller holds {@link #lock}. */
    void closeNative() {
        closed = true;
        if (llama != null) {
            llama.close();
            llama = null;
        }
    }

    double tokensPerSecond() {
        long nanos = generationNanos.get();
        return nanos == 0 ? 0 : completionTokens.get() / (nanos / 1e9);
    }
}
