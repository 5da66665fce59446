package io.syncline.gateway.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.syncline.config.SignatureScheme;
import io.syncline.gateway.Fixture;
import io.syncline.gateway.TestSigner;
import io.syncline.gateway.signature.Verification.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each scheme against requests signed by the provider's own library (fixtures) and by the test's independent signer.
 */
class SignatureVerifierTest {

    private static final Duration WINDOW = Duration.ofSeconds(300);
    private static final long PAST_WINDOW = 301_000;

    private static final Fixture STRIPE = Fixture.load("stripe-charge-succeeded.json");
    private static final Fixture STANDARD = Fixture.load("standard-webhooks-invoice-paid.json");
    private static final Fixture HUBSPOT = Fixture.load("hubspot-v3-contact-property-change.json");
    private static final Fixture ZENDESK = Fixture.load("zendesk-ticket-created.json");
    private static final Fixture GITHUB = Fixture.load("github-issues-opened.json");

    /** A request as plain data; the HTTP path is covered by the integration tests. */
    record Request(Map<String, String> headers, String url, byte[] body) implements SignedRequest {
        static Request of(Fixture f) {
            return new Request(f.headers(), f.url(), f.body());
        }

        @Override
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        @Override
        public String method() {
            return "POST";
        }
    }

    private static SignatureVerifier verifier(SignatureScheme scheme, String... secrets) {
        return SignatureVerifier.create(scheme, java.util.Arrays.stream(secrets)
                .map(s -> new Secret("env:TEST_SECRET", s)).toList(), WINDOW);
    }

    private static Outcome verify(SignatureScheme scheme, Fixture f, long now, String... secrets) {
        return verifier(scheme, secrets).verify(Request.of(f), now).outcome();
    }

    private static byte[] tampered(Fixture f) {
        byte[] copy = f.body().clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    @Test
    void acceptsWhatEachProvidersOwnLibrarySigned() {
        assertThat(verify(SignatureScheme.STRIPE, STRIPE, STRIPE.signedAtMillis(), STRIPE.secret())).isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, STANDARD.signedAtMillis(), STANDARD.secret()))
                .isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT, HUBSPOT.signedAtMillis(), HUBSPOT.secret()))
                .isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.ZENDESK, ZENDESK, ZENDESK.signedAtMillis(), ZENDESK.secret()))
                .isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.GITHUB, GITHUB, GITHUB.signedAtMillis(), GITHUB.secret())).isEqualTo(Outcome.VALID);
    }

    @Test
    void aTamperedBodyIsAMismatchInEveryScheme() {
        assertThat(verify(SignatureScheme.STRIPE, STRIPE.withBody(tampered(STRIPE)), STRIPE.signedAtMillis(),
                STRIPE.secret())).isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.withBody(tampered(STANDARD)),
                STANDARD.signedAtMillis(), STANDARD.secret())).isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT.withBody(tampered(HUBSPOT)), HUBSPOT.signedAtMillis(),
                HUBSPOT.secret())).isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.ZENDESK, ZENDESK.withBody(tampered(ZENDESK)), ZENDESK.signedAtMillis(),
                ZENDESK.secret())).isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.GITHUB, GITHUB.withBody(tampered(GITHUB)), GITHUB.signedAtMillis(),
                GITHUB.secret())).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    }

    @Test
    void aWrongSecretIsAMismatchAndAnyOfSeveralSecretsAccepts() {
        assertThat(verify(SignatureScheme.STRIPE, STRIPE, STRIPE.signedAtMillis(), "whsec_other"))
                .isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.STRIPE, STRIPE, STRIPE.signedAtMillis(), "whsec_new", STRIPE.secret()))
                .isEqualTo(Outcome.VALID);
        String otherStandard = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, STANDARD.signedAtMillis(), otherStandard))
                .isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, STANDARD.signedAtMillis(), otherStandard,
                STANDARD.secret())).isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT, HUBSPOT.signedAtMillis(), "other", HUBSPOT.secret()))
                .isEqualTo(Outcome.VALID);
        assertThat(verify(SignatureScheme.ZENDESK, ZENDESK, ZENDESK.signedAtMillis(), "other"))
                .isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(verify(SignatureScheme.GITHUB, GITHUB, GITHUB.signedAtMillis(), "other", GITHUB.secret()))
                .isEqualTo(Outcome.VALID);
    }

    @Test
    void timestampsOutsideTheWindowAreRefusedInBothDirections() {
        for (var c : List.of(
                Map.entry(SignatureScheme.STRIPE, STRIPE), Map.entry(SignatureScheme.STANDARD_WEBHOOKS, STANDARD),
                Map.entry(SignatureScheme.HUBSPOT_V3, HUBSPOT), Map.entry(SignatureScheme.ZENDESK, ZENDESK))) {
            Fixture f = c.getValue();
            assertThat(verify(c.getKey(), f, f.signedAtMillis() + PAST_WINDOW, f.secret())).as(c.getKey().id())
                    .isEqualTo(Outcome.TIMESTAMP_EXPIRED);
            assertThat(verify(c.getKey(), f, f.signedAtMillis() - PAST_WINDOW, f.secret())).as(c.getKey().id())
                    .isEqualTo(Outcome.TIMESTAMP_IN_FUTURE);
            assertThat(verify(c.getKey(), f, f.signedAtMillis() + 299_000, f.secret())).as(c.getKey().id())
                    .isEqualTo(Outcome.VALID);
            assertThat(verify(c.getKey(), f, f.signedAtMillis() - 299_000, f.secret())).as(c.getKey().id())
                    .isEqualTo(Outcome.VALID);
        }
        // GitHub signs no time: an old request still verifies; replays are dropped downstream by event id.
        assertThat(verify(SignatureScheme.GITHUB, GITHUB, GITHUB.signedAtMillis() + 86_400_000L, GITHUB.secret()))
                .isEqualTo(Outcome.VALID);
    }

    @Test
    void theExpiredDetailNamesTheHeaderAndTheWindowButNoSignature() {
        Verification v = verifier(SignatureScheme.STRIPE, STRIPE.secret()).verify(Request.of(STRIPE),
                STRIPE.signedAtMillis() + 600_000);
        assertThat(v.detail()).isEqualTo("Stripe-Signature timestamp is 600 s old; the replay window is 300 s");
    }

    @Test
    void missingHeadersAreNamed() {
        assertThat(verifier(SignatureScheme.STRIPE, "s").verify(Request.of(STRIPE.withHeader("Stripe-Signature", null)), 0))
                .isEqualTo(new Verification(Outcome.MISSING_HEADER, "missing header Stripe-Signature"));
        for (String h : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            assertThat(verifier(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.secret())
                    .verify(Request.of(STANDARD.withHeader(h, null)), STANDARD.signedAtMillis()))
                    .isEqualTo(new Verification(Outcome.MISSING_HEADER, "missing header " + h));
        }
        for (String h : List.of("X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp")) {
            assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT.withHeader(h, null), HUBSPOT.signedAtMillis(),
                    HUBSPOT.secret())).isEqualTo(Outcome.MISSING_HEADER);
        }
        for (String h : List.of("X-Zendesk-Webhook-Signature", "X-Zendesk-Webhook-Signature-Timestamp")) {
            assertThat(verify(SignatureScheme.ZENDESK, ZENDESK.withHeader(h, null), ZENDESK.signedAtMillis(),
                    ZENDESK.secret())).isEqualTo(Outcome.MISSING_HEADER);
        }
        assertThat(verify(SignatureScheme.GITHUB, GITHUB.withHeader("X-Hub-Signature-256", null), 0, GITHUB.secret()))
                .isEqualTo(Outcome.MISSING_HEADER);
    }

    @Test
    void unparseableHeadersAreMalformedNotMismatched() {
        assertThat(verifier(SignatureScheme.STRIPE, "s").verify(Request.of(STRIPE.withHeader("Stripe-Signature",
                "v1=" + "ab".repeat(32))), 0))
                .isEqualTo(new Verification(Outcome.MALFORMED_HEADER, "Stripe-Signature has no t=<unix seconds> timestamp"));
        assertThat(verifier(SignatureScheme.STRIPE, "s").verify(Request.of(STRIPE.withHeader("Stripe-Signature",
                "t=1736935200,v0=abc")), 0))
                .isEqualTo(new Verification(Outcome.MALFORMED_HEADER, "Stripe-Signature has no v1 signature"));
        assertThat(verify(SignatureScheme.STRIPE, STRIPE.withHeader("Stripe-Signature", "t=1736935200,v1=zz"), 0, "s"))
                .isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.withHeader("webhook-timestamp", "yesterday"), 0,
                STANDARD.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.withHeader("webhook-signature", "v1a,abc"), 0,
                STANDARD.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT.withHeader("X-HubSpot-Request-Timestamp", "1.5e12"), 0,
                HUBSPOT.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.HUBSPOT_V3, HUBSPOT.withHeader("X-HubSpot-Signature-v3", "not base64!"), 0,
                HUBSPOT.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.ZENDESK, ZENDESK.withHeader("X-Zendesk-Webhook-Signature-Timestamp",
                "15/01/2025"), 0, ZENDESK.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.GITHUB, GITHUB.withHeader("X-Hub-Signature-256", "sha1=abc"), 0,
                GITHUB.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
    }

    /** Every refusal of every scheme, with the exact detail the problem response shows. */
    static Stream<Arguments> refusals() {
        String mismatch = "no signature in %s matches the request body and the endpoint's secrets";
        String badBase64 = "%s is not base64 of a 32-byte HMAC-SHA256";
        return Stream.of(
                refusal(SignatureScheme.STRIPE, STRIPE, "Stripe-Signature", "t=1736935200,v1=zz", 0,
                        Outcome.MALFORMED_HEADER, "Stripe-Signature has a v1 signature that is not 64 hex digits"),
                refusal(SignatureScheme.STRIPE, STRIPE, "Stripe-Signature", "  ", 0,
                        Outcome.MISSING_HEADER, "missing header Stripe-Signature"),
                refusal(SignatureScheme.STRIPE, STRIPE.withBody(tampered(STRIPE)), null, null, 0,
                        Outcome.SIGNATURE_MISMATCH, mismatch.formatted("Stripe-Signature")),
                refusal(SignatureScheme.STRIPE, STRIPE, null, null, -PAST_WINDOW, Outcome.TIMESTAMP_IN_FUTURE,
                        "Stripe-Signature timestamp is 301 s in the future; the replay window is 300 s"),
                refusal(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, "webhook-timestamp", "yesterday", 0,
                        Outcome.MALFORMED_HEADER, "webhook-timestamp is not unix seconds"),
                refusal(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, "webhook-signature", "v1a,abc", 0,
                        Outcome.MALFORMED_HEADER, "webhook-signature has no v1,<base64> signature"),
                refusal(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, "webhook-signature", "v1,abc", 0,
                        Outcome.MALFORMED_HEADER, "webhook-signature has a v1 signature that is not base64 of 32 bytes"),
                refusal(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.withBody(tampered(STANDARD)), null, null, 0,
                        Outcome.SIGNATURE_MISMATCH, mismatch.formatted("webhook-signature")),
                refusal(SignatureScheme.STANDARD_WEBHOOKS, STANDARD, null, null, PAST_WINDOW, Outcome.TIMESTAMP_EXPIRED,
                        "webhook-timestamp is 301 s old; the replay window is 300 s"),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT, "X-HubSpot-Signature-v3", null, 0,
                        Outcome.MISSING_HEADER, "missing header X-HubSpot-Signature-v3"),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT, "X-HubSpot-Request-Timestamp", "", 0,
                        Outcome.MISSING_HEADER, "missing header X-HubSpot-Request-Timestamp"),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT, "X-HubSpot-Request-Timestamp", "1.5e12", 0,
                        Outcome.MALFORMED_HEADER, "X-HubSpot-Request-Timestamp is not epoch milliseconds"),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT, "X-HubSpot-Signature-v3", "not base64!", 0,
                        Outcome.MALFORMED_HEADER, badBase64.formatted("X-HubSpot-Signature-v3")),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT.withBody(tampered(HUBSPOT)), null, null, 0,
                        Outcome.SIGNATURE_MISMATCH, mismatch.formatted("X-HubSpot-Signature-v3")),
                refusal(SignatureScheme.HUBSPOT_V3, HUBSPOT, null, null, -PAST_WINDOW, Outcome.TIMESTAMP_IN_FUTURE,
                        "X-HubSpot-Request-Timestamp is 301 s in the future; the replay window is 300 s"),
                refusal(SignatureScheme.ZENDESK, ZENDESK, "X-Zendesk-Webhook-Signature", null, 0,
                        Outcome.MISSING_HEADER, "missing header X-Zendesk-Webhook-Signature"),
                refusal(SignatureScheme.ZENDESK, ZENDESK, "X-Zendesk-Webhook-Signature-Timestamp", "15/01/2025", 0,
                        Outcome.MALFORMED_HEADER, "X-Zendesk-Webhook-Signature-Timestamp is not an ISO-8601 time such as"
                                + " 2024-05-01T12:00:00Z"),
                refusal(SignatureScheme.ZENDESK, ZENDESK, "X-Zendesk-Webhook-Signature", "AAAA", 0,
                        Outcome.MALFORMED_HEADER, badBase64.formatted("X-Zendesk-Webhook-Signature")),
                refusal(SignatureScheme.ZENDESK, ZENDESK.withBody(tampered(ZENDESK)), null, null, 0,
                        Outcome.SIGNATURE_MISMATCH, mismatch.formatted("X-Zendesk-Webhook-Signature")),
                refusal(SignatureScheme.ZENDESK, ZENDESK, null, null, PAST_WINDOW, Outcome.TIMESTAMP_EXPIRED,
                        "X-Zendesk-Webhook-Signature-Timestamp is 301 s old; the replay window is 300 s"),
                refusal(SignatureScheme.GITHUB, GITHUB, "X-Hub-Signature-256", null, 0,
                        Outcome.MISSING_HEADER, "missing header X-Hub-Signature-256"),
                refusal(SignatureScheme.GITHUB, GITHUB, "X-Hub-Signature-256", "sha1=abc", 0,
                        Outcome.MALFORMED_HEADER, "X-Hub-Signature-256 does not start with sha256="),
                refusal(SignatureScheme.GITHUB, GITHUB, "X-Hub-Signature-256", "sha256=zz", 0,
                        Outcome.MALFORMED_HEADER, "X-Hub-Signature-256 is not sha256= followed by 64 hex digits"),
                refusal(SignatureScheme.GITHUB, GITHUB.withBody(tampered(GITHUB)), null, null, 0,
                        Outcome.SIGNATURE_MISMATCH, mismatch.formatted("X-Hub-Signature-256")));
    }

    /**
     * One refusal case: the fixture with {@code header} set to {@code value} (null: removed; a null header: as
     * signed), verified {@code late} ms after it was signed.
     */
    private static Arguments refusal(SignatureScheme scheme, Fixture fixture, String header, String value, long late,
            Outcome outcome, String detail) {
        Fixture request = header == null ? fixture : fixture.withHeader(header, value);
        return Arguments.of(scheme, request, late, new Verification(outcome, detail));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("refusals")
    void everyRefusalNamesItsHeaderWithTheExactDetail(SignatureScheme scheme, Fixture request, long late,
            Verification expected) {
        Fixture signedBy = switch (scheme) {
            case STRIPE -> STRIPE;
            case STANDARD_WEBHOOKS -> STANDARD;
            case HUBSPOT_V3 -> HUBSPOT;
            case ZENDESK -> ZENDESK;
            case GITHUB -> GITHUB;
        };
        assertThat(verifier(scheme, signedBy.secret()).verify(Request.of(request), signedBy.signedAtMillis() + late))
                .isEqualTo(expected);
    }

    @Test
    void absurdTimestampsAreMalformedRatherThanOverflowing() {
        assertThat(verify(SignatureScheme.STRIPE, STRIPE.withHeader("Stripe-Signature",
                "t=9999999999999999,v1=" + "ab".repeat(32)), 0, "s")).isEqualTo(Outcome.MALFORMED_HEADER);
        assertThat(verify(SignatureScheme.ZENDESK, ZENDESK.withHeader("X-Zendesk-Webhook-Signature-Timestamp",
                "+999999999-12-31T23:59:59Z"), 0, ZENDESK.secret())).isEqualTo(Outcome.MALFORMED_HEADER);
    }

    @Test
    void severalSignaturesInOneHeaderAnyMatchAccepts() {
        String stripeHeader = STRIPE.header("Stripe-Signature");
        String t = stripeHeader.substring(0, stripeHeader.indexOf(','));
        String v1 = stripeHeader.substring(stripeHeader.indexOf(',') + 1);
        String rolled = t + ",v1=" + "00".repeat(32) + "," + v1 + ",v0=" + "11".repeat(32);
        assertThat(verify(SignatureScheme.STRIPE, STRIPE.withHeader("Stripe-Signature", rolled), STRIPE.signedAtMillis(),
                STRIPE.secret())).isEqualTo(Outcome.VALID);

        String list = "v1a,AAAA v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]) + " "
                + STANDARD.header("webhook-signature");
        assertThat(verify(SignatureScheme.STANDARD_WEBHOOKS, STANDARD.withHeader("webhook-signature", list),
                STANDARD.signedAtMillis(), STANDARD.secret())).isEqualTo(Outcome.VALID);
    }

    @Test
    void gitHubsPublishedExampleVerifies() {
        // From GitHub's "Validating webhook deliveries" page: secret and payload with their expected signature.
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        Request request = new Request(Map.of("X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), null, body);
        assertThat(verifier(SignatureScheme.GITHUB, "It's a Secret to Everybody").verify(request, 0).valid()).isTrue();
    }

    @Test
    void stripeKeysWithTheWholeSecretAndStandardWebhooksWithItsDecodedPart() {
        // Both signers below use the same secret text; only the scheme's own key decoding makes each one verify.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        long now = 1_736_935_200_000L;
        Request stripe = new Request(TestSigner.stripe(secret, now, body), null, body);
        Request standard = new Request(TestSigner.standardWebhooks(secret, "msg_1", now, body), null, body);
        assertThat(verifier(SignatureScheme.STRIPE, secret).verify(stripe, now).valid()).isTrue();
        assertThat(verifier(SignatureScheme.STANDARD_WEBHOOKS, secret).verify(standard, now).valid()).isTrue();
    }

    @Test
    void hubSpotDecodesTheEscapesItDecodesBeforeSigning() {
        assertThat(HubSpotV3Signature.signedUri("https://h.example/webhooks/hs?a=b%3Ac%2Fd%3f%40%21%24%27%28%29%2A%2C%3B"))
                .isEqualTo("https://h.example/webhooks/hs?a=b:c/d?@!$'()*,;");
        assertThat(HubSpotV3Signature.signedUri("https://h.example/hs?q=a%20b%26c%3D")).isEqualTo("https://h.example/hs?q=a%20b%26c%3D");

        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        long now = 1_736_935_200_000L;
        Map<String, String> headers = TestSigner.hubspot("cs", "https://h.example/webhooks/hs?email=a@b.example", now, body);
        Request encoded = new Request(headers, "https://h.example/webhooks/hs?email=a%40b.example", body);
        assertThat(verifier(SignatureScheme.HUBSPOT_V3, "cs").verify(encoded, now).valid()).isTrue();
    }

    @Test
    void anUnusableStandardWebhooksSecretIsNamedByItsReferenceOnly() {
        assertThatThrownBy(() -> SignatureVerifier.create(SignatureScheme.STANDARD_WEBHOOKS,
                List.of(new Secret("env:ACME_SECRET", "whsec_not*base64!")), WINDOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret env:ACME_SECRET is not a Standard Webhooks secret: expected whsec_ followed by base64");
        assertThatThrownBy(() -> SignatureVerifier.create(SignatureScheme.STANDARD_WEBHOOKS,
                List.of(new Secret("file:/run/secrets/acme", "whsec_c2hvcnQ=")), WINDOW))
                .hasMessage("secret file:/run/secrets/acme is too short for Standard Webhooks: expected whsec_ followed "
                        + "by the base64 of at least 16 random bytes (the specification asks for 24 to 64)");
        assertThat(new Secret("env:X", "whsec_value").toString()).isEqualTo("env:X");
    }
}
