import Testing
import RecCore

@Suite struct MonotonicTests {
    @Test func theClockNeverGoesBack() {
        var last = Monotonic.now()
        for _ in 0..<10_000 {
            let now = Monotonic.now()
            #expect(now >= last)
            last = now
        }
    }

    @Test func aStopwatchMeasuresFromItsStart() {
        let watch = Stopwatch()
        let (sum, seconds) = Stopwatch.time { (0..<100_000).reduce(0, &+) }
        #expect(sum == 4_999_950_000)
        #expect(seconds >= 0)
        let elapsed = watch.elapsed
        #expect(elapsed >= seconds && elapsed < 60)
        #expect(watch.elapsedMilliseconds >= elapsed * 1000)
    }
}
