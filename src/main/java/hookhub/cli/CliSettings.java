package hookhub.cli;

import hookhub.Hookhub;
import hookhub.config.HubSettings;
import hookhub.store.StoreSettings;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The hub's settings for command-line tools: the same property sources as the running hub (jar defaults,
 * ./application.properties, environment variables, -D), resolved by an unstarted Camel context.
 */
final class CliSettings implements AutoCloseable {

    private final DefaultCamelContext context = new DefaultCamelContext();

    static CliSettings load() {
        CliSettings s = new CliSettings();
        s.context.getPropertiesComponent().setLocation(Hookhub.PROPERTY_LOCATIONS);
        s.context.getPropertiesComponent().addPropertiesFunction(new hookhub.config.FileSecretFunction());
        return s;
    }

    /**
     * Route parameters with their placeholders resolved as the hub would ({{env:…}}, {{file:…}}, settings), so a
     * token from the environment is checked by {@code try} exactly like by the hub.
     */
    static java.util.Map<String, String> resolved(java.util.Map<String, String> params) {
        CliSettings s = load();
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, s.context.resolvePropertyPlaceholders(v)));
        return out;
    }

    HubSettings settings() {
        return new HubSettings(context);
    }

    StoreSettings storeSettings() {
        return new hookhub.config.SettingsReader(settings()).store();
    }

    @Override
    public void close() {
        context.stop();
    }
}
