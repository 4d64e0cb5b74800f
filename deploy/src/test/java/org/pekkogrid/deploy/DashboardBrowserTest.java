package org.pekkogrid.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.pekkogrid.client.JobHandle;
import org.pekkogrid.client.JobResult;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.NodeAddress;

/**
 * The head's web dashboard in a real browser: Debian's chromium, headless, driven through
 * chromedriver, on a head and a worker node talking over Artery on loopback. Skipped, naming
 * the missing binary, where chromium or chromedriver is not installed.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("grid.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("grid.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    /** 320 naps of 25 ms on 2 slots: about 4 s, long enough to see the progress move twice. */
    private static final int CHUNKS = 320;

    private static LoopbackGrid grid;
    private static String worker;
    private static ChromeDriverService driverService;
    private static ChromeDriver browser;
    private static String page;

    /** Why the tests cannot run here, or null. */
    private static String missing;

    @BeforeAll
    static void startGridAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) missing = "no browser at " + CHROMIUM + " (apt-get install chromium)";
        else if (!Files.isExecutable(CHROMEDRIVER)) missing = "no driver at " + CHROMEDRIVER + " (apt-get install chromium-driver)";
        if (missing != null) {
            // Surefire counts the tests as skipped; the reason goes to the test's output.
            System.err.println("DashboardBrowserTest skipped: " + missing);
            return;
        }
        grid = LoopbackGrid.startHead(Map.of("grid.http.enabled", true, "grid.http.port", 0,
            "grid.http.dashboard-tick", "500ms"));
        worker = NodeAddress.of(grid.addWorker(2, List.of()).system().address());
        grid.awaitStatus("the worker's 2 slots registered", s -> LoopbackGrid.slots(s) == 2);
        page = "http://127.0.0.1:" + grid.head().endpoints().httpPort() + "/";
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
            .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--no-first-run");
        browser = new ChromeDriver(driverService, options);
        browser.manage().window().setSize(new Dimension(1280, 1500));
        browser.get(page);
    }

    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(missing == null, missing);
    }

    @AfterAll
    static void stopBrowserAndGrid() {
        if (browser != null) browser.quit();
        if (driverService != null) driverService.stop();
        if (grid != null) grid.close();
    }

    @Test
    void theClusterViewShowsTheHeadWithTheCoordinatorAndTheWorkerWithItsSlots() {
        String head = grid.seed();
        // Rows are drawn again on every tick: read each one's text whole.
        String headRow = await("the head in the cluster table", () -> rowText(head));
        // Another test's job may have just ended: the row shows 0 busy once the worker samples again.
        String workerRow = await("the worker idle, with its CPU and heap sampled", () -> {
            String text = rowText(worker);
            return text != null && text.contains("MiB") && text.contains("%") && text.contains("0 / 2") ? text : null;
        });
        assertTrue(headRow.contains("coordinator"), headRow);
        assertTrue(headRow.contains("head"), headRow);
        assertTrue(workerRow.contains("worker"), workerRow);
        assertTrue(!workerRow.contains("coordinator"), workerRow);
        assertEquals(2, browser.findElements(By.cssSelector("#members tbody tr")).size());
    }

    @Test
    void aJobsProgressMovesLiveAndOnceFinishedItsChartsDraw() throws Exception {
        JobHandle handle = grid.client().submit(JobSpec.of("sleep").param("millis", 25).withChunks(CHUNKS));
        String jobId = handle.accepted().toCompletableFuture().get(20, TimeUnit.SECONDS);
        By jobRow = By.cssSelector("#jobs tr.job-row[data-job='" + jobId + "']");

        long first = await("the job running with some chunks done", () -> {
            long done = doneIn(jobRow);
            return done > 0 && done < CHUNKS ? done : null;
        });
        // While it runs, the worker's slots are busy with its naps.
        String busy = await("the worker's slots busy", () -> {
            String text = rowText(worker);
            return text != null && (text.contains("1 / 2") || text.contains("2 / 2")) ? text : null;
        });
        assertTrue(busy.contains("worker"), busy);
        long second = await("more chunks done than " + first, () -> {
            long done = doneIn(jobRow);
            return done > first ? done : null;
        });
        System.out.printf("MEASURED dashboard progress of %s: %d then %d of %d chunks%n", jobId, first, second, CHUNKS);
        assertTrue(second > first);

        await("a click on the job's row", () -> {
            browser.findElement(jobRow).click();
            return true;
        });
        await("the job view", () -> browser.findElement(By.id("job")).isDisplayed() ? true : null);
        JobResult result = handle.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(JobResult.Status.COMPLETED, result.status(), () -> "sleep: " + result.error());
        await("the job COMPLETED on the page", () ->
            browser.findElement(By.id("job-state")).getText().equals("COMPLETED") ? true : null);
        assertEquals(CHUNKS, await("the job's row at 100 %", () -> doneIn(jobRow) == CHUNKS ? CHUNKS : null));

        for (String chart : List.of("chart-throughput", "chart-queue", "chart-latency", "chart-busy", "chart-stream")) {
            int points = await(chart + " drawn with data", () -> {
                String drawn = browser.findElement(By.id(chart)).getAttribute("data-points");
                return drawn != null && Integer.parseInt(drawn) > 0 ? Integer.parseInt(drawn) : null;
            });
            WebElement canvas = browser.findElement(By.id(chart));
            assertTrue(canvas.getSize().getWidth() > 100 && canvas.getSize().getHeight() > 100,
                chart + " is " + canvas.getSize());
            System.out.printf("MEASURED %s: %d points on %s%n", chart, points, canvas.getSize());
        }
        // Every chunk ran once (no failures), so the latency histogram and the task stream hold them all.
        assertEquals(String.valueOf(CHUNKS), browser.findElement(By.id("chart-latency")).getAttribute("data-points"));
        assertEquals(String.valueOf(CHUNKS), browser.findElement(By.id("chart-stream")).getAttribute("data-points"));
        // One node ran the job: one busy bar.
        assertEquals("1", browser.findElement(By.id("chart-busy")).getAttribute("data-points"));
        assertTrue(browser.findElement(By.id("job-summary")).getText().contains(CHUNKS + " of " + CHUNKS + " chunks"),
            browser.findElement(By.id("job-summary")).getText());

        Path shot = Path.of("target", "dashboard.png");
        Files.createDirectories(shot.getParent());
        File taken = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(taken.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("MEASURED dashboard screenshot at " + shot.toAbsolutePath());
    }

    @Test
    void theRetriesOfAJobWhoseChunksThrowShowInItsRow() throws Exception {
        JobResult flaky = grid.client().run(JobSpec.of("flaky").param("rate", 0.3).param("seed", 7).withChunks(40)
            .withMaxRetries(20));
        assertEquals(JobResult.Status.COMPLETED, flaky.status(), () -> "flaky: " + flaky.error());
        long retries = flaky.report().retries();
        assertTrue(retries > 0, "a 30 % failure rate over 40 chunks retries some");
        By jobRow = By.cssSelector("#jobs tr.job-row[data-job='" + flaky.jobId() + "']");
        String shown = await("the flaky job's retries", () -> {
            List<WebElement> rows = browser.findElements(jobRow);
            String value = rows.isEmpty() ? "" : rows.get(0).getAttribute("data-retries");
            return value == null || value.isEmpty() ? null : value;
        });
        assertEquals(String.valueOf(retries), shown);
    }

    @Test
    void withATokenThePageAsksForItAndShowsTheGridOnceGiven() throws Exception {
        String token = "dashboard-token-" + System.nanoTime();
        try (LoopbackGrid guarded = LoopbackGrid.startHead(Map.of("grid.http.enabled", true, "grid.http.port", 0,
                "grid.http.token", token, "grid.http.dashboard-tick", "500ms"))) {
            String first = browser.getWindowHandle();
            browser.switchTo().newWindow(WindowType.TAB);
            try {
                browser.get("http://127.0.0.1:" + guarded.head().endpoints().httpPort() + "/");
                await("the token form", () -> browser.findElement(By.id("token-form")).isDisplayed() ? true : null);
                assertTrue(browser.findElements(By.cssSelector("#members tbody tr")).isEmpty(), "nothing shown without it");
                browser.findElement(By.id("token")).sendKeys(token);
                browser.findElement(By.cssSelector("#token-form button")).click();
                String head = await("the guarded head once the token is given", () -> rowText(guarded.seed()));
                assertTrue(head.contains("coordinator"), head);
                assertTrue(!browser.findElement(By.id("token-form")).isDisplayed());
            } finally {
                browser.close();
                browser.switchTo().window(first);
            }
        }
    }

    private static String rowText(String node) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#members tr.member[data-address='" + node + "']"));
        return rows.isEmpty() ? null : rows.get(0).getText();
    }

    private static long doneIn(By jobRow) {
        List<WebElement> rows = browser.findElements(jobRow);
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0).getAttribute("data-done"));
    }

    /** Polls {@code what} until it is non-null; the page re-renders its tables on each tick. */
    private static <T> T await(String description, Supplier<T> what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T value = what.get();
                if (value != null) return value;
            } catch (WebDriverException e) {
                // an element replaced by the next tick's render: look again
            }
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)).join();
        }
        return fail("the dashboard never showed " + description + "; page text:\n"
            + browser.findElement(By.tagName("body")).getText());
    }
}
