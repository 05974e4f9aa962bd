package dev.switchboard.manager;

import dev.switchboard.config.CustomEndpointConfig;
import dev.switchboard.config.ModelManagementConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.model.ProviderName;
import dev.switchboard.model.ProviderType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One provider instance to create: the seed's {@code providers:} entries, with every
 * {@code custom_api.custom_providers} endpoint expanded into an instance of its own, named
 * {@code custom_api:<name>} (requests may also use the short name).
 */
record ProviderSpec(String name, ProviderType type, String kind, ProviderConfig config, CustomEndpointConfig endpoint) {

    static List<ProviderSpec> from(ModelManagementConfig config) {
        List<ProviderSpec> specs = new ArrayList<>();
        for (Map.Entry<String, ProviderConfig> e : config.providers().entrySet()) {
            ProviderConfig pc = e.getValue();
            if (!pc.enabled()) {
                continue;
            }
            ProviderType type = ProviderType.fromWire(pc.providerType() != null ? pc.providerType() : e.getKey());
            if (type == ProviderType.CUSTOM_API) {
                for (Map.Entry<String, CustomEndpointConfig> c : pc.customProviders().entrySet()) {
                    if (c.getValue().enabled()) {
                        specs.add(new ProviderSpec(new ProviderName(type.wire(), c.getKey()).toString(), type, "custom_api/" + c.getValue().apiType(),
                                pc, c.getValue()));
                    }
                }
            } else {
                specs.add(new ProviderSpec(e.getKey(), type, type.wire(), pc, null));
            }
        }
        // The default provider is asked first when a bare model id is offered by several.
        specs.sort((a, b) -> Boolean.compare(!isDefault(a, config), !isDefault(b, config)));
        return specs;
    }

    private static boolean isDefault(ProviderSpec s, ModelManagementConfig config) {
        String d = config.defaultProvider();
        return s.name.equals(d) || s.type.wire().equals(d) || d != null && d.equals(ProviderName.of(s.name).shortName());
    }
}
