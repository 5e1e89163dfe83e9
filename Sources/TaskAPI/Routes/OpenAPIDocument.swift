/// The API contract, served at `GET /openapi.yaml`. Hand-written to match the handlers; the tests check
/// that every path in it is served.
enum OpenAPIDocument {
    static let yaml = """
    openapi: 3.1.0
    info:
      title: qtq task API
      version: 1.0.0
      description: >
        Submit OpenQASM 2/3 circuits for simulation and poll for their measurement counts.
        Every response carries an X-Correlation-ID header (the client's, when it sent a valid one:
        at most 128 characters of A-Z a-z 0-9 . _ -; otherwise a generated UUID).
    paths:
      /tasks:
        post:
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
          responses:
            '202':
              description: Accepted and stored; poll the Location.
              headers:
                Location:
                  schema: {type: string, example: /tasks/8a3c1f9e-2b4d-4c61-9f0e-5d7a2b1c3e4f}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/SubmittedTask'
            '200':
              description: Already stored under this Idempotency-Key with the same circuit, shots and seed.
              headers:
                Location:
                  schema: {type: string}
                Idempotent-Replayed:
                  schema: {type: string, enum: ['true']}
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/SubmittedTask'
            '400': {$ref: '#/components/responses/Error'}
            '409': {$ref: '#/components/responses/Error'}
            '413': {$ref: '#/components/responses/Error'}
            '422': {$ref: '#/components/responses/Error'}
            '500': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /tasks/{id}:
        get:
          summary: Status, history and result of a task
          parameters:
            - name: id
              in: path
              required: true
              schema: {type: string, format: uuid}
            - $ref: '#/components/parameters/CorrelationID'
          responses:
            '200':
              description: The task.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Task'
            '400': {$ref: '#/components/responses/Error'}
            '404': {$ref: '#/components/responses/Error'}
            '503': {$ref: '#/components/responses/Error'}
      /health:
        get:
          summary: Database and notification-channel health (answers within 2 s)
          responses:
            '200':
              description: Healthy.
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
            '503':
              description: Unhealthy.
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Health'}
      /metrics:
        get:
          summary: Prometheus metrics
          description: >
            qtq_http_requests_total{route,method,status}, qtq_http_request_duration_seconds{route,method,status},
            qtq_tasks_submitted_total, qtq_queue_tasks{status}.
          responses:
            '200':
              description: Prometheus text exposition format.
              content:
                text/plain: {schema: {type: string}}
      /openapi.yaml:
        get:
          summary: This document
          responses:
            '200':
              description: OpenAPI 3.1 YAML.
              content:
                application/yaml: {schema: {type: string}}
      /:
        get:
          summary: Short index of the endpoints
          responses:
            '200':
              description: Index.
              content:
                application/json: {schema: {type: object}}
    components:
      parameters:
        CorrelationID:
          name: X-Correlation-ID
          in: header
          required: false
          schema: {type: string, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$'}
      responses:
        Error:
          description: >
            An error. Codes: invalid_json (400), invalid_task_id (400), validation_error (422, details.field
            names the field), payload_too_large (413, bodies over 1 MiB), task_not_found (404), not_found (404),
            method_not_allowed (405, with an Allow header), invalid_idempotency_key (400),
            idempotency_key_reused (409: the key was used for a different body), database_unavailable (503).
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
          additionalProperties: true
        SubmittedTask:
          type: object
          required: [task_id, message, submitted_at, correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            message: {type: string, const: Task submitted successfully.}
            submitted_at: {type: string, format: date-time, example: '2026-11-27T03:41:56.123456Z'}
            correlation_id: {type: string}
        Task:
          type: object
          required: [task_id, status, submitted_at, message, result, status_history, correlation_id, task_correlation_id]
          properties:
            task_id: {type: string, format: uuid}
            status: {type: string, enum: [pending, processing, completed, failed]}
            submitted_at: {type: string, format: date-time}
            message: {type: string}
            result:
              oneOf:
                - type: 'null'
                - type: object
                  required: [counts, shots, success]
                  properties:
                    counts: {type: object, additionalProperties: {type: integer}}
                    shots: {type: integer}
                    success: {type: boolean}
                    seed: {type: integer}
            error:
              description: Present only when status is failed.
              type: object
              required: [type, message]
              properties:
                type: {type: string}
                message: {type: string}
                line: {type: integer}
                column: {type: integer}
            status_history:
              type: array
              items:
                type: object
                required: [status, transitioned_at, notes]
                properties:
                  status: {type: string}
                  transitioned_at: {type: string, format: date-time}
                  notes: {type: [string, 'null']}
            correlation_id: {type: string, description: This request's correlation id.}
            task_correlation_id: {type: [string, 'null'], description: The correlation id the task was submitted with.}
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
            details: {type: object}

    """
}
