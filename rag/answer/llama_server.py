"""`python -m rag.answer.llama_server MODEL N_CTX THREADS`: llama.cpp's HTTP server (xllamacpp) on
127.0.0.1, in a process of its own.

Why a child process and not a thread of the caller: xllamacpp is a Cython extension, and Cython
modules built with another Cython share types by name; once fontTools' or uharfbuzz's compiled
modules are loaded (fpdf2 and ocrmypdf import them, so an app that has OCR'd an upload has), importing
xllamacpp in the same interpreter fails ("Shared Cython type ... has the wrong size"). Here it is
alone. The child prints its URL on one line, then serves until its stdin closes (the parent
exits or calls `close()`) or it is terminated.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    model, n_ctx, threads = argv[0], int(argv[1]), int(argv[2])
    try:
        import xllamacpp
    except ImportError:
        print("error: RAG_LLM=gguf: needs the xllamacpp package: pip install xllamacpp.")
        return 2
    params = xllamacpp.CommonParams()
    params.model.path = model
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the server binds a free port and reports it in listening_address
    params.n_ctx = n_ctx
    params.n_parallel = 1  # one user per process; a second slot would halve the context
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.verbosity = -1  # llama.cpp logs to stderr, outside `logging`; keep it quiet
    params.endpoint_metrics = True  # for the readiness round trip below (127.0.0.1 only)
    try:
        server = xllamacpp.Server(params)
    except Exception as e:  # noqa: BLE001 - the Cython layer raises bare RuntimeError/ValueError
        print(f"error: {' '.join(str(e).split())}")
        return 1
    # `Server()` returns before llama.cpp's task loop has started, and a `terminate()` sent in
    # that gap is lost, so stopping a fresh server would hang. A metrics request is answered by
    # the loop itself: once it returns, the loop runs and stopping is safe.
    server.handle_metrics()
    print(server.listening_address, flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin (or ends)
    del server  # the destructor stops llama.cpp's loop
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
