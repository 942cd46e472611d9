package hookhub.it;

import hookhub.testinfra.S3ProxyServer;

/**
 * The hub takes AWS credentials only from the default chain; in-process tests feed it through the system
 * properties that chain reads (aws.accessKeyId, aws.secretAccessKey), with the test servers' dummy keys.
 */
final class AwsTestCredentials {

    private AwsTestCredentials() {
    }

    static void install() {
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }
}
