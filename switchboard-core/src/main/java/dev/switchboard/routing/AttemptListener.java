package dev.switchboard.routing;

import dev.switchboard.model.ChatResponse;
import dev.switchboard.model.ModelFailure;
import dev.switchboard.model.ModelInfo;
import dev.switchboard.model.TaskType;

/** Hears about every call to a deployment, as it ends. The performance monitor is one. Must not block. */
public interface AttemptListener {
    AttemptListener NONE = new AttemptListener() { };

    default void succeeded(ModelInfo model, TaskType task, ChatResponse response, double costUsd) {
    }

    default void failed(ModelInfo model, TaskType task, ModelFailure failure, double latencyMs) {
    }
}
