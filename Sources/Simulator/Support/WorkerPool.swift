#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Persistent threads that run one pass over the state together: `run { worker in … }` calls the body once per
/// worker (the calling thread is worker 0) and returns when all have finished. Threads sleep between passes.
final class WorkerPool {
    let workers: Int
    private let shared: Shared
    private var threads: [pthread_t] = []

    init(workers: Int) {
        self.workers = max(1, workers)
        shared = Shared()
        for index in 1..<self.workers {
            let context = Unmanaged.passRetained(ThreadContext(shared: shared, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                context.shared.serve(worker: context.index)
                return nil
            }, context)
            if status == 0 { threads.append(thread) } else { Unmanaged<ThreadContext>.fromOpaque(context).release() }
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Worker count actually available (thread creation may have failed).
    var activeWorkers: Int { threads.count + 1 }

    func run(_ body: (Int) -> Void) {
        if threads.isEmpty {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { task in
            shared.start(task, helpers: threads.count)
            task(0)
            shared.waitForHelpers()
        }
    }

    private final class ThreadContext {
        let shared: Shared
        let index: Int
        init(shared: Shared, index: Int) {
            self.shared = shared
            self.index = index
        }
    }

    /// State shared with the threads, guarded by one mutex.
    private final class Shared: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var generation = 0
        private var remaining = 0
        private var stopping = false
        private var task: ((Int) -> Void)?

        init() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(wake, nil)
            pthread_cond_init(finished, nil)
        }

        deinit {
            pthread_cond_destroy(finished)
            pthread_cond_destroy(wake)
            pthread_mutex_destroy(mutex)
            finished.deallocate()
            wake.deallocate()
            mutex.deallocate()
        }

        func start(_ task: @escaping (Int) -> Void, helpers: Int) {
            pthread_mutex_lock(mutex)
            self.task = task
            remaining = helpers
            generation += 1
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }

        func waitForHelpers() {
            pthread_mutex_lock(mutex)
            while remaining > 0 { pthread_cond_wait(finished, mutex) }
            task = nil
            pthread_mutex_unlock(mutex)
        }

        func stop() {
            pthread_mutex_lock(mutex)
            stopping = true
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }

        func serve(worker: Int) {
            var seen = 0
            pthread_mutex_lock(mutex)
            while true {
                while generation == seen && !stopping { pthread_cond_wait(wake, mutex) }
                if stopping { break }
                seen = generation
                let current = task
                pthread_mutex_unlock(mutex)
                current?(worker)
                pthread_mutex_lock(mutex)
                remaining -= 1
                if remaining == 0 { pthread_cond_signal(finished) }
            }
            pthread_mutex_unlock(mutex)
        }
    }
}
