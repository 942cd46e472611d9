package hookhub.deliver;

/**
 * hookhub.s3.*: where the S3 sink writes. Credentials are never configured here: they come from the AWS default
 * chain (environment, system properties, profile, container or instance role).
 *
 * @param sse "" (bucket default), "s3" (SSE-S3) or "kms" (SSE-KMS with kmsKeyId)
 */
public record S3Settings(String bucket, String prefix, String region, String endpoint, boolean pathStyle, String storageClass,
        String sse, String kmsKeyId) {

    public boolean enabled() {
        return !bucket.isBlank();
    }

    /** The Camel aws2-s3 endpoint for these settings. */
    String endpointUri() {
        StringBuilder uri = new StringBuilder("aws2-s3://").append(bucket)
                .append("?region=").append(region)
                .append("&useDefaultCredentialsProvider=true")
                .append("&autoCreateBucket=false");
        if (!endpoint.isBlank()) {
            uri.append("&overrideEndpoint=true&uriEndpointOverride=RAW(").append(endpoint).append(")");
        }
        if (pathStyle) {
            uri.append("&forcePathStyle=true");
        }
        if (!storageClass.isBlank()) {
            uri.append("&storageClass=").append(storageClass);
        }
        switch (sse.trim().toLowerCase()) {
            case "" -> { }
            case "s3" -> uri.append("&useSSES3=true");
            case "kms" -> {
                uri.append("&useAwsKMS=true");
                if (!kmsKeyId.isBlank()) {
                    uri.append("&awsKMSKeyId=RAW(").append(kmsKeyId).append(")");
                }
            }
            default -> throw new IllegalArgumentException("hookhub.s3.sse must be empty, s3 or kms, got '" + sse + "'");
        }
        return uri.toString();
    }

    /** The S3 prefix with a trailing slash, or "" (objects at the bucket root). */
    @Override
    public String prefix() {
        String p = prefix.trim();
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }
}
