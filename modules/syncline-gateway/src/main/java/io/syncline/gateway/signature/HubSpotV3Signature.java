package io.syncline.gateway.signature;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HubSpot v3: {@code X-HubSpot-Signature-v3} = base64 HMAC-SHA256 (key: the app's client secret as UTF-8) over
 * method + URI + raw body + {@code X-HubSpot-Request-Timestamp} (epoch ms, as sent).
 *
 * <p>The URI is the full URL HubSpot called (scheme, host, path, query): behind a load balancer it is the public URL,
 * not the one the gateway sees. HubSpot decodes a fixed set of percent-escapes before signing; so do we.
 */
final class HubSpotV3Signature implements HmacScheme {

    static final String SIGNATURE = "X-HubSpot-Signature-v3";
    static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";

    @Override
    public String signatureHeader() {
        return SIGNATURE;
    }

    @Override
    public List<RequiredHeader> requiredHeaders() {
        return List.of(RequiredHeader.signature(SIGNATURE), RequiredHeader.value(TIMESTAMP));
    }

    @Override
    public Read read(SignedRequest request) {
        String signature = request.header(SIGNATURE);
        String timestamp = request.header(TIMESTAMP);
        long millis = HmacScheme.parseDigits(timestamp);
        if (millis < 0) {
            return Refused.malformed(TIMESTAMP + " is not epoch milliseconds");
        }
        byte[] provided = HmacScheme.base64Sha256(signature);
        if (provided == null) {
            return Refused.malformed(SIGNATURE + " is not base64 of a 32-byte HMAC-SHA256");
        }
        return Signed.at(millis, TIMESTAMP, Signatures.of(provided),
                (request.method() + signedUri(request.url())).getBytes(StandardCharsets.UTF_8),
                timestamp.getBytes(StandardCharsets.US_ASCII));
    }

    /** The URI as HubSpot signs it: the escapes of {@code : / ? @ ! $ ' ( ) * , ;} decoded, nothing else. */
    static String signedUri(String url) {
        if (url.indexOf('%') < 0) {
            return url;
        }
        StringBuilder out = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '%' && i + 2 < url.length()) {
                char decoded = decoded(url.charAt(i + 1), url.charAt(i + 2));
                if (decoded != 0) {
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static char decoded(char hi, char lo) {
        int value = Character.digit(hi, 16) * 16 + Character.digit(lo, 16);
        return switch (value) {
            case 0x3A, 0x2F, 0x3F, 0x40, 0x21, 0x24, 0x27, 0x28, 0x29, 0x2A, 0x2C, 0x3B -> (char) value;
            default -> 0;
        };
    }
}
