/// The API contract, served at `GET /openapi.yaml` and, converted, at `GET /openapi.json` (which `/docs` and
/// `/redoc` render). Hand-written to match the handlers; the TaskAPI tests validate every response they receive
/// against it (status, headers, body schema), so it cannot drift.
enum OpenAPIDocument {
    static let yaml = """
    openapi: 3.1.0
    info:
      title: qtq task API
      version: 1.0.0
      description: >
        Submit OpenQASM 2/3 circuits for simulation and poll (or wait) for their measurement counts.
        Every response carries an X-Correlation-ID header (the client's, when it sent a valid one:
        at most 128 characters of A-Z a-z 0-9 . _ -; otherwise a generated UUID).
        A method a path does not list answers 405 with an Allow header (components/responses/MethodNotAllowed);
        a path not listed here answers 404 not_found (components/responses/NotFound).
        HEAD is answered for every GET, with the GET's status and headers and no body.
        When the server has API keys (QTQ_API_KEYS), every operation but the health and documentation ones needs
        Authorization: Bearer <key> (401 unauthorized otherwise), and each key sees only its own tasks.
    security:
      - {}
      - bearerAuth: []
    paths:
      /tasks:
        post:
          operationId: submitTask
          summary: Submit a circuit
          parameters:
            - $ref: '#/components/parameters/CorrelationID'
            - name: Idempotency-Key
              in: header
              required: false
              description: >
                A name for this submission chosen by the client. A retry with the same key and the same body
                returns the task stored the first time (200, Idempotent-Replayed: true) instead of a new one.
              schema: {type: string, minLength: 1, maxLength: 255, pattern: '^[ -~]+$'}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/TaskSubmission'
                example: {qc: 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; c = measure q;', shots: 1000}
          responses:
            '202':
              description: Accepted and stored; poll the Location.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
                Location: {$ref: '#/components/headers/Location'}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/SubmittedTask'
            '200':
              description: Already stored under this Idempotency-Key with the same circuit, shots, seed and precision.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
                Location: {$ref: '#/components/headers/Location'}
                Idempotent-Replayed:
                  required: true
                  schema: {type: string, enum: ['true']}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/ReplayedTask'
            '400': {$ref: '#/components/responses/Error'}
            '401': {$ref: '#/components/responses/Error'}
            '408': {$ref: '#/components/responses/Error'}
            '409': {$ref: '#/components/responses/Error'}
            '413': {$ref: '#/components/responses/Error'}
            '422': {$ref: '#/components/responses/Error'}
            '500': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
        get:
          operationId: listTasks
          summary: List tasks, newest first
          description: >
            Keyset pagination: pass next_cursor back as cursor for the next page (null on the last page).
            Summaries leave out the circuit and the counts unless include=result.
          parameters:
            - name: status
              in: query
              description: One status or a comma-separated list (pending,processing).
              schema: {type: string, example: 'pending,processing'}
            - name: since
              in: query
              description: Submitted at or after this instant.
              schema: {type: string, format: date-time}
            - name: until
              in: query
              description: Submitted before this instant.
              schema: {type: string, format: date-time}
            - name: correlation_id
              in: query
              description: The correlation id the tasks were submitted with.
              schema: {type: string}
            - name: limit
              in: query
              schema: {type: integer, minimum: 1, maximum: 1000, default: 50}
            - name: cursor
              in: query
              description: The next_cursor of the previous page (opaque).
              schema: {type: string}
            - name: include
              in: query
              description: result adds each task's result and error.
              schema: {type: string, enum: [result]}
            - $ref: '#/components/parameters/CorrelationID'
          responses:
            '200':
              description: One page of tasks.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/TaskList'}
            '400': {$ref: '#/components/responses/Error'}
            '401': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /tasks/batch:
        post:
          operationId: submitTaskBatch
          summary: Submit up to 1,000 circuits in one transaction
          description: All or nothing; a bad item is a 422 naming its index and field, and nothing is stored.
          parameters:
            - $ref: '#/components/parameters/CorrelationID'
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/TaskBatch'}
          responses:
            '202':
              description: All stored, in the order sent.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/SubmittedBatch'}
            '400': {$ref: '#/components/responses/Error'}
            '401': {$ref: '#/components/responses/Error'}
            '408': {$ref: '#/components/responses/Error'}
            '413': {$ref: '#/components/responses/Error'}
            '422': {$ref: '#/components/responses/Error'}
            '500': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /tasks/{id}:
        get:
          operationId: getTask
          summary: Status, history and result of a task
          parameters:
            - $ref: '#/components/parameters/TaskID'
            - name: wait
              in: query
              required: false
              description: >
                Long poll: answer as soon as the task is finished (completed, failed or cancelled), or after
                this many seconds with its current state. 0 < wait <= 60, decimals allowed.
              schema: {type: number, exclusiveMinimum: 0, maximum: 60}
            - $ref: '#/components/parameters/CorrelationID'
          responses:
            '200':
              description: The task.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Task'
            '400': {$ref: '#/components/responses/Error'}
            '401': {$ref: '#/components/responses/Error'}
            '404': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /tasks/{id}/cancel:
        post:
          operationId: cancelTask
          summary: Cancel a task
          description: >
            A pending task is cancelled at once (200). A processing task is stopped by its worker within a
            second (202; poll or wait for status cancelled). A completed or failed task answers 409
            task_already_finished; cancelling a cancelled task again answers 200.
          parameters:
            - $ref: '#/components/parameters/TaskID'
            - $ref: '#/components/parameters/CorrelationID'
          responses:
            '200':
              description: The task is cancelled.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Task'}
            '202':
              description: The task was processing; its worker stops it within a second.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Task'}
            '400': {$ref: '#/components/responses/Error'}
            '401': {$ref: '#/components/responses/Error'}
            '408': {$ref: '#/components/responses/Error'}
            '404': {$ref: '#/components/responses/Error'}
            '409': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /health:
        get:
          operationId: health
          security: []
          summary: Database and notification-channel health (answers within 2 s)
          responses:
            '200':
              description: Healthy.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
            '503':
              description: Unhealthy.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
      /livez:
        get:
          operationId: liveness
          summary: Liveness (the process answers HTTP; never looks at the database)
          security: []
          responses:
            '200':
              description: Alive.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema:
                    type: object
                    required: [status, timestamp]
                    properties:
                      status: {type: string, const: alive}
                      timestamp: {type: string, format: date-time}
      /readyz:
        get:
          operationId: readiness
          summary: Readiness (the same checks as /health)
          security: []
          responses:
            '200':
              description: Ready.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
            '503':
              description: Not ready.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
      /metrics:
        get:
          operationId: metrics
          summary: Prometheus metrics
          description: >
            qtq_http_requests_total{route,method,status}, qtq_http_request_duration_seconds{route,method,status},
            qtq_tasks_submitted_total, qtq_task_waiters, qtq_queue_tasks{status="pending"|"processing"},
            qtq_queue_oldest_pending_age_seconds.
          responses:
            '200':
              description: Prometheus text exposition format.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                text/plain: {schema: {type: string}}
            '401': {$ref: '#/components/responses/Error'}
      /openapi.yaml:
        get:
          operationId: openAPIYAML
          security: []
          summary: This document, as YAML
          responses:
            '200':
              description: OpenAPI 3.1 YAML.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/yaml: {schema: {type: string}}
      /openapi.json:
        get:
          operationId: openAPIJSON
          security: []
          summary: This document, as JSON
          responses:
            '200':
              description: OpenAPI 3.1 JSON (converted from the YAML).
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json: {schema: {type: object, required: [openapi, info, paths]}}
      /docs:
        get:
          operationId: swaggerUI
          security: []
          summary: Swagger UI for this document (served with its bundle, no CDN)
          responses:
            '200':
              description: HTML page.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                text/html: {schema: {type: string}}
            '503': {$ref: '#/components/responses/Error'}
      /redoc:
        get:
          operationId: redoc
          security: []
          summary: ReDoc for this document (served with its bundle, no CDN)
          responses:
            '200':
              description: HTML page.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                text/html: {schema: {type: string}}
            '503': {$ref: '#/components/responses/Error'}
      /docs/assets/{file}:
        get:
          operationId: docsAsset
          security: []
          summary: A file of the Swagger UI or ReDoc bundle, or its licence
          parameters:
            - name: file
              in: path
              required: true
              schema:
                type: string
                enum: [swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, swagger-ui.LICENSE,
                       swagger-ui-bundle.js.LICENSE.txt, redoc.LICENSE, redoc.standalone.js.LICENSE.txt,
                       drf-spectacular-sidecar.LICENSE]
          responses:
            '200':
              description: The file.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                text/javascript: {schema: {type: string}}
                text/css: {schema: {type: string}}
                text/plain: {schema: {type: string}}
            '404': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /:
        get:
          operationId: index
          security: []
          summary: Short index of the endpoints
          responses:
            '200':
              description: Index.
              headers:
                X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
              content:
                application/json:
                  schema:
                    type: object
                    required: [service, endpoints]
                    properties:
                      service: {type: string}
                      description: {type: string}
                      endpoints: {type: array, items: {type: string}}
    components:
      securitySchemes:
        bearerAuth:
          type: http
          scheme: bearer
          description: One of the keys in QTQ_API_KEYS (only when the server is configured with keys).
      parameters:
        CorrelationID:
          name: X-Correlation-ID
          in: header
          required: false
          schema: {type: string, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$'}
        TaskID:
          name: id
          in: path
          required: true
          schema: {type: string, format: uuid}
      headers:
        CorrelationID:
          description: This request's correlation id (the client's when valid, else a generated UUID).
          required: true
          schema: {type: string, maxLength: 128}
        Location:
          description: Where to read the task.
          required: true
          schema: {type: string, example: /tasks/8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f}
      responses:
        Error:
          description: >
            An error. Codes: invalid_json (400), malformed_body (400), invalid_task_id (400),
            invalid_parameter (400, details.field names the query parameter), invalid_idempotency_key (400),
            validation_error (422, details.field names the field; in a batch details.index names the item),
            payload_too_large (413, bodies over 1 MiB), request_timeout (408, a body that does not arrive in time;
            the connection is closed), task_not_found (404), not_found (404),
            idempotency_key_reused (409: the key was used for a different body), task_already_finished (409),
            internal_error (500), database_unavailable (503, with Retry-After), docs_assets_missing (503),
            unauthorized (401, API keys are configured and the request has no valid Bearer key).
          headers:
            X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        NotFound:
          description: No endpoint at this path (code not_found).
          headers:
            X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
        MethodNotAllowed:
          description: The path exists but not with this method (code method_not_allowed); Allow lists the methods.
          headers:
            X-Correlation-ID: {$ref: '#/components/headers/CorrelationID'}
            Allow:
              required: true
              schema: {type: string, example: 'GET, HEAD'}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
      schemas:
        TaskSubmission:
          type: object
          required: [qc]
          properties:
            qc: {type: string, minLength: 1, description: OpenQASM 2.0 or 3.0 program text.}
            shots: {type: integer, minimum: 1, maximum: 100000, default: 1024}
            seed: {type: integer, minimum: 0, maximum: 18446744073709551615, description: Makes sampling reproducible.}
            precision:
              type: string
              enum: [single, double]
              default: double
              description: >
                Floating-point precision of the state vector: double (complex128) or single (complex64, half the
                memory per amplitude, so one more qubit fits; counts agree with double within sampling error).
          additionalProperties: true
        TaskBatch:
          type: object
          required: [tasks]
          properties:
            tasks:
              type: array
              minItems: 1
              maxItems: 1000
              items: {$ref: '#/components/schemas/TaskSubmission'}
        SubmittedTask:
          type: object
          required: [task_id, message, submitted_at, correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            message: {type: string, const: Task submitted successfully.}
            submitted_at: {type: string, format: date-time, example: '2026-11-27T03:41:56.123456Z'}
            correlation_id: {type: string}
        ReplayedTask:
          type: object
          required: [task_id, message, submitted_at, correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            message: {type: string, const: Task already submitted with this Idempotency-Key.}
            submitted_at: {type: string, format: date-time, description: When the task was first submitted.}
            correlation_id: {type: string}
        SubmittedBatch:
          type: object
          required: [tasks, correlation_id]
          properties:
            tasks:
              type: array
              items:
                type: object
                required: [task_id, submitted_at]
                properties:
                  task_id: {type: string, format: uuid}
                  submitted_at: {type: string, format: date-time}
            correlation_id: {type: string}
        TaskStatus:
          type: string
          enum: [pending, processing, completed, failed, cancelled]
        TaskResult:
          oneOf:
            - type: 'null'
            - type: object
              required: [counts, shots, success]
              properties:
                counts: {type: object, additionalProperties: {type: integer, minimum: 0}}
                shots: {type: integer}
                success: {type: boolean}
                seed: {type: integer}
                precision: {type: string, enum: [single, double], description: The precision the task ran in.}
        TaskError:
          description: Present only when status is failed.
          type: object
          required: [type, message]
          properties:
            type: {type: string}
            message: {type: string}
            line: {type: integer}
            column: {type: integer}
        Task:
          type: object
          required: [task_id, status, submitted_at, message, result, shots, seed, precision, attempts, started_at,
                     completed_at, duration_seconds, status_history, correlation_id, task_correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            status: {$ref: '#/components/schemas/TaskStatus'}
            submitted_at: {type: string, format: date-time}
            message: {type: string}
            result: {$ref: '#/components/schemas/TaskResult'}
            error: {$ref: '#/components/schemas/TaskError'}
            status_history:
              type: array
              items:
                type: object
                required: [status, transitioned_at, notes]
                properties:
                  status: {$ref: '#/components/schemas/TaskStatus'}
                  transitioned_at: {type: string, format: date-time}
                  notes: {type: [string, 'null']}
            correlation_id: {type: string, description: This request's correlation id.}
            task_correlation_id: {type: [string, 'null'], description: The correlation id the task was submitted with.}
            shots: {type: integer, minimum: 1}
            seed: {type: [integer, 'null'], minimum: 0}
            precision: {type: string, enum: [single, double], description: The precision it runs in (as submitted).}
            attempts: {type: integer, minimum: 0, description: How many times a worker has claimed it.}
            started_at: {type: [string, 'null'], format: date-time, description: When its last run started.}
            completed_at: {type: [string, 'null'], format: date-time, description: When it finished.}
            queue_position: {type: integer, minimum: 1, description: Present only while pending; 1 runs next.}
            cancel_requested: {type: boolean, const: true, description: Present only while processing after a cancel; its worker stops it within a second.}
            duration_seconds: {type: [number, 'null'], minimum: 0, description: completed_at - started_at.}
        TaskSummary:
          type: object
          required: [task_id, status, submitted_at, shots, seed, precision, attempts, started_at, completed_at, task_correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            status: {$ref: '#/components/schemas/TaskStatus'}
            submitted_at: {type: string, format: date-time}
            shots: {type: integer, minimum: 1}
            seed: {type: [integer, 'null'], minimum: 0}
            attempts: {type: integer, minimum: 0}
            started_at: {type: [string, 'null'], format: date-time}
            completed_at: {type: [string, 'null'], format: date-time}
            task_correlation_id: {type: [string, 'null']}
            precision: {type: string, enum: [single, double], description: The precision it runs in (as submitted).}
            result: {$ref: '#/components/schemas/TaskResult'}
            error: {$ref: '#/components/schemas/TaskError'}
        TaskList:
          type: object
          required: [tasks, next_cursor, correlation_id]
          properties:
            tasks: {type: array, items: {$ref: '#/components/schemas/TaskSummary'}}
            next_cursor: {type: [string, 'null']}
            correlation_id: {type: string}
        Health:
          type: object
          required: [status, timestamp, database_status, queue_status]
          properties:
            status: {type: string, enum: [healthy, unhealthy]}
            timestamp: {type: string, format: date-time}
            database_status: {type: string, enum: [connected, disconnected]}
            queue_status: {type: string, enum: [connected, disconnected]}
        Error:
          type: object
          required: [error, message, correlation_id]
          properties:
            error: {type: string}
            message: {type: string}
            correlation_id: {type: string}
            details:
              type: object
              properties:
                field: {type: string}
                index: {type: integer, minimum: 0}

    """
}
