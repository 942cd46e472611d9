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
        return s;
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
