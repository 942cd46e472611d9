package hookhub;

import hookhub.cli.ReplayCommand;
import hookhub.cli.TryCommand;
import hookhub.cli.ValidateCommand;
import hookhub.config.HubConfiguration;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * Entry point: {@code java -jar hookhub.jar}. Defaults come from the jar, then {@code ./application.properties},
 * then environment variables and {@code -D} system properties (both override files).
 */
public final class Hookhub {

    /** The operator's file in the working directory wins over the defaults inside the jar (first location wins). */
    public static final String PROPERTY_LOCATIONS
            = "file:application.properties;optional=true,classpath:hookhub-defaults.properties";

    private Hookhub() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("replay") || args[0].equals("dead-letters"))) {
            System.exit(ReplayCommand.run(List.of(args), System.out));
        }
        if (args.length > 0 && args[0].equals("validate")) {
            System.exit(ValidateCommand.run(List.of(args), System.out));
        }
        if (args.length > 0 && args[0].equals("try")) {
            System.exit(TryCommand.run(List.of(args)));
        }
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
        main.configure().addConfiguration(HubConfiguration.class);
        System.exit(main.run(args));
    }
}
