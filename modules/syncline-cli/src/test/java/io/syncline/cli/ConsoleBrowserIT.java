package io.syncline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncline.cli.dist.SynclineProcess;
import io.syncline.cli.up.RunningFile;
import io.syncline.cli.up.StackContext;
import io.syncline.kafka.FreePorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (headless Chromium driven by Selenium) against a real {@code syncline up --demo}, one
 * stack for the class: every page opens from the navigation with labelled controls and no browser error, the
 * pipeline's numbers move without a reload and its charts draw, a dead letter is replayed from the browser and leaves
 * the list, two schema versions are diffed and a tailed record appears; text has WCAG AA contrast and the keyboard
 * reaches the content and the navigation. How fast the page loads is measured by
 * {@code ConsoleCostDriver} (docs/benchmarks.md), not timed here: this machine is shared.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code -Dsyncline.chromium} and
 * {@code -Dsyncline.chromedriver}); without them the class is skipped, saying how to install them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW = "raw.stripe.charge";
    private static final String DLQ = "dlq.normalizer";
    private static final String SUBJECT = "canonical.finance.payment.v1-value";
    private static final String TAILED = "canonical.finance.payment.v1";

    private SynclineProcess up;
    private Path dataDir;
    private String console;
    private Map<String, String> endpoints;
    private ChromeDriverService service;
    private WebDriver browser;

    @BeforeAll
    void startDemoAndBrowser(@TempDir Path work) throws Exception {
        Path chromium = executable("syncline.chromium", "/usr/bin/chromium");
        Path chromedriver = executable("syncline.chromedriver", "/usr/bin/chromedriver");
        assumeTrue(chromium != null && chromedriver != null, "no headless Chromium here, so the console's browser "
                + "tests are skipped: install it with `apt-get install -y chromium chromium-driver` (Debian; .ci/run "
                + "does this as root), or pass -Dsyncline.chromium=PATH -Dsyncline.chromedriver=PATH");
        dataDir = work.resolve("data");
        up = SynclineProcess.start(dist(), work, List.of("up", "--demo", "--demo-rate", "3",
                "--data-dir", dataDir.toString(), "--config", work.resolve("no-syncline.yaml").toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--registry-port", "0", "--connect-port", "0",
                "--gateway-port", "0", "--console-port", "0", "--payments-sandbox-port", "0",
                "--crm-sandbox-port", "0", "--support-sandbox-port", "0",
                "--postgres-port", String.valueOf(FreePorts.pick())), Map.of());
        up.awaitLine(UpCommand.READY_LINE, Duration.ofSeconds(240));
        endpoints = RunningFile.read(dataDir).orElseThrow();
        console = endpoints.get(StackContext.CONSOLE);
        assertThat(up.stdout()).containsPattern("Console +" + console + " +embedded +up");

        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // The flags this machine needs (docs: java-maven machine notes): no sandbox as root, no network of its own.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    private static Path executable(String property, String fallback) {
        Path p = Path.of(System.getProperty(property, fallback));
        return Files.isExecutable(p) ? p : null;
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (up != null) {
            up.close();
        }
    }

    private void open(String path) {
        browser.get(console + path);
    }

    private String heading() {
        return browser.findElement(By.tagName("h1")).getText();
    }

    private JavascriptExecutor js() {
        return (JavascriptExecutor) browser;
    }

    @Test
    void everyPageOpensFromTheNavigationWithLabelledControlsAndNoBrowserError() {
        open("/pipeline");
        assertThat(heading()).isEqualTo("Pipeline");
        for (String[] page : new String[][] {{"Connectors", "Connectors"}, {"Dead letters", "Dead letters"},
                {"Schemas", "Schemas"}, {"Topics", "Topics"}, {"Config", "Config"}, {"Pipeline", "Pipeline"}}) {
            browser.findElement(By.linkText(page[0])).click();
            await().atMost(Duration.ofSeconds(20)).until(() -> heading().equals(page[1]));
            assertThat(browser.findElement(By.cssSelector("a[aria-current=page]")).getText()).isEqualTo(page[0]);
            assertThat(browser.findElements(By.cssSelector(".problems"))).as("problems on %s", page[0]).isEmpty();
            assertEveryControlIsLabelled();
        }
        open("/dead-letters/" + DLQ);
        assertEveryControlIsLabelled();
        open("/schemas/" + SUBJECT);
        assertEveryControlIsLabelled();
        open("/topics/" + TAILED);
        assertEveryControlIsLabelled();
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("browser errors (a script, a CSP violation)").isEmpty();
    }

    private void assertEveryControlIsLabelled() {
        Object unlabelled = js().executeScript("return Array.from(document.querySelectorAll('input,select,textarea'))"
                + ".filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))"
                + ".map(e => e.name || e.id);");
        assertThat((List<?>) unlabelled).as("controls without a label on %s", browser.getCurrentUrl()).isEmpty();
    }

    /**
     * Text whose colour against its background is under WCAG AA (4.5:1, 3:1 for large text), as "tag \"text\"
     * ratio"; the background is the first opaque one up the tree.
     */
    private static final String LOW_CONTRAST = """
            const rgb = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); return m ? m[1].split(',').map(Number) : null; };
            const lum = p => { const a = p.slice(0, 3).map(v => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2]; };
            const background = e => { for (; e; e = e.parentElement) {
                const p = rgb(getComputedStyle(e).backgroundColor); if (p && (p.length < 4 || p[3] > 0)) return p; }
                return [255, 255, 255]; };
            const low = [];
            for (const e of document.querySelectorAll('body *')) {
              if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
              const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
              if (r.width <= 1 || r.height <= 1 || s.visibility === 'hidden' || r.right < 0) continue;
              const f = lum(rgb(s.color)), b = lum(background(e));
              const ratio = (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05);
              const size = parseFloat(s.fontSize);
              const large = size >= 24 || (size >= 18.66 && parseInt(s.fontWeight) >= 700);
              if (ratio < (large ? 3 : 4.5)) low.push(e.tagName + ' "' + e.textContent.trim().slice(0, 40) + '" '
                  + ratio.toFixed(2));
            }
            return low;""";

    @Test
    void everyPagesTextHasContrastAndTheKeyboardReachesTheContentAndTheNavigation() {
        for (String path : List.of("/pipeline", "/connectors", "/dead-letters", "/dead-letters/" + DLQ, "/schemas",
                "/schemas/" + SUBJECT, "/topics", "/topics/" + TAILED, "/config")) {
            open(path);
            assertThat((List<?>) js().executeScript(LOW_CONTRAST)).as("text under WCAG AA contrast on %s", path)
                    .isEmpty();
        }
        open("/pipeline");
        Actions keys = new Actions(browser);
        keys.sendKeys(Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");
        keys.sendKeys(Keys.ENTER).perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        open("/pipeline");
        // Skip link, then the navigation in order: Pipeline, Connectors.
        keys.sendKeys(Keys.TAB, Keys.TAB, Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Connectors");
        keys.sendKeys(Keys.ENTER).perform();
        await().atMost(Duration.ofSeconds(20)).until(() -> heading().equals("Connectors"));
    }

    @Test
    void numbersMoveOnThePipelinePageWithoutAReloadAndTheChartsDraw() {
        open("/pipeline");
        js().executeScript("window.__sameDocument = true;");
        By raw = By.cssSelector("[data-node='raw:" + RAW + "'] [data-field=records]");
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(raw).isEmpty());
        String before = browser.findElement(raw).getText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> !browser.findElement(raw).getText().equals(before));
        assertThat(js().executeScript("return window.__sameDocument === true;")).as("no reload").isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("[data-node='sink:demo-crm-contacts']")).getText())
                .contains("demo-crm-contacts");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("#charts canvas"))
                .size() >= 4);
        // The demo's sinks deliver to the sandboxes: their end-to-end latency, from the stats up writes, shows.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> browser.findElements(By.cssSelector("[data-node^='sink:'] [data-field=latency]")).stream()
                        .anyMatch(e -> e.getText().matches("p50 \\d+ ms · p99 \\d+ ms")));
    }

    @Test
    void aDeadLetterIsReplayedFromTheBrowserAndLeavesTheList() throws Exception {
        // A raw record the normalizer cannot parse: it lands in the DLQ through the real pipeline.
        RecordMetadata poisoned;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                endpoints.get(StackContext.KAFKA)), new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(RAW, bytes("ch_console_poisoned"),
                    bytes("{\"id\":\"ch_console_poisoned\""));
            r.headers().add("syncline.source", bytes("stripe"));
            poisoned = producer.send(r).get();
        }
        String source = RAW + "/" + poisoned.partition() + "/" + poisoned.offset();
        By row = By.xpath("//table[contains(@class,'letters')]//tr[td[normalize-space()='" + source + "']]");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            open("/dead-letters/" + DLQ);
            return !browser.findElements(row).isEmpty();
        });
        String position = browser.findElement(row).getAttribute("data-position");
        browser.findElement(row).findElement(By.cssSelector("input[type=checkbox]")).click();
        browser.findElement(By.xpath("//button[normalize-space()='Replay selected…']")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> heading().startsWith("Replay 1 dead letter from " + DLQ));
        assertThat(browser.findElement(By.cssSelector(".replay-list")).getText()).contains(position + " → " + source);
        browser.findElement(By.id("confirm-replay")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> heading().equals("Replayed 1 dead letter"));
        browser.findElement(By.linkText("Back to " + DLQ)).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> heading().equals("Dead letters in " + DLQ));
        assertThat(browser.findElements(By.cssSelector("tr[data-position='" + position + "']"))).as("replayed")
                .isEmpty();
    }

    @Test
    void twoVersionsOfASchemaAreDiffed() throws Exception {
        registerSecondVersion();
        open("/schemas/" + SUBJECT);
        new Select(browser.findElement(By.id("from"))).selectByValue("1");
        new Select(browser.findElement(By.id("to"))).selectByValue("2");
        browser.findElement(By.xpath("//button[normalize-space()='Show the differences']")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("table.diff"))
                .isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("/schemas/" + SUBJECT + "/diff?from=1&to=2");
        List<WebElement> added = browser.findElements(By.cssSelector("table.diff tr.added"));
        assertThat(added).anyMatch(r -> r.getText().contains("console_note"));
    }

    /** Version 2 of the subject: version 1 with an optional field, as a compatible evolution would add it. */
    private void registerSecondVersion() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String registry = endpoints.get(StackContext.REGISTRY);
        HttpResponse<String> latest = http.send(HttpRequest.newBuilder(URI.create(registry + "/subjects/" + SUBJECT
                + "/versions/latest")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode meta = JSON.readTree(latest.body());
        if (meta.path("version").asInt() >= 2) {
            return;
        }
        ObjectNode schema = (ObjectNode) JSON.readTree(meta.path("schema").asText());
        ObjectNode field = ((ArrayNode) schema.path("fields")).addObject();
        field.put("name", "console_note");
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(registry + "/subjects/"
                        + SUBJECT + "/versions")).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("schema",
                        JSON.writeValueAsString(schema))))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    }

    @Test
    void aTailedRecordAppearsDecodedToJson() {
        open("/topics/" + TAILED);
        By records = By.cssSelector("#tail li.record");
        await().atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(records).isEmpty());
        Set<String> seen = new HashSet<>();
        browser.findElements(records).forEach(r -> seen.add(r.getAttribute("data-offset")));
        assertThat(browser.findElement(records).getText()).contains("\"valueSchemaId\"").contains("\"metadata\"");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> !seen.contains(browser.findElement(records).getAttribute("data-offset")));
    }

    @Test
    void theConnectorsPageShowsTheDemoConnectorsAndNoneOfItsSecrets() throws Exception {
        open("/connectors");
        String page = browser.findElement(By.tagName("main")).getText();
        assertThat(page).contains("demo-payments").contains("demo-crm-contacts");
        browser.findElements(By.cssSelector("details.config summary")).forEach(WebElement::click);
        String shown = browser.getPageSource();
        Properties secrets = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("demo/secrets.properties"), StandardCharsets.UTF_8)) {
            secrets.load(in);
        }
        assertThat(secrets).isNotEmpty();
        for (String key : secrets.stringPropertyNames()) {
            assertThat(shown).as("the secret %s", key).doesNotContain(secrets.getProperty(key));
        }
        assertThat(shown).contains("${file:");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path dist() {
        String dir = System.getProperty("syncline.dist");
        assertThat(dir).as("system property syncline.dist, set by the failsafe configuration").isNotBlank();
        return Path.of(dir);
    }
}
