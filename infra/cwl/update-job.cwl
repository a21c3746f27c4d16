#!/usr/bin/env cwl-runner
# The Update Job tool: reports a job's progress from inside its workflow with `jobsctl update`.
# Every option of `jobsctl update` is an input. The job id and the update token are required
# inputs, the token a cwltool secret (masked in cwltool's log and output; a workflow that calls
# this tool must list its own token input in its own cwltool:Secrets hint, as
# example-workflow.cwl does). What else is not given falls back to the JOBS_* variables of the
# step's environment, which cwltool passes only with --preserve-environment (see docs/updates.md).
# Exit codes: 0 delivered, 2 the job is dismissed (stop), 64 usage error, 65 refused for good,
# 75 not delivered for a passing reason after every attempt.
cwlVersion: v1.2
class: CommandLineTool
label: Update Job
doc: |
  Builds a version-1 update message (fresh update id, event time now) and sends it to the Jobs API
  (api_url), an SQS queue (queue_url) or an SNS topic (topic_arn). Give exactly one destination.

$namespaces:
  cwltool: http://commonwl.org/cwltool#

requirements:
  NetworkAccess:
    networkAccess: true
  InlineJavascriptRequirement: {}

# A hint rather than a requirement, as Unity's publish step does: runners use the image, and
# `cwltool --no-container` runs a `jobsctl` found on the PATH.
hints:
  DockerRequirement:
    dockerPull: jobs/update-job:latest   # docker build -f src/Jobs.Cli/Dockerfile -t jobs/update-job:latest .
  cwltool:Secrets:
    secrets: [token]

baseCommand: [jobsctl, update]

successCodes: [0]
# 2: the job was dismissed; the workflow must stop, so it is a permanent failure of the step.
permanentFailCodes: [2, 64, 65]
# cwltool does not retry a temporaryFail: the tool retries by itself first (attempts, below).
temporaryFailCodes: [75]

inputs:
  job_id:
    type: string
    doc: The job to update.
    inputBinding: {prefix: --job-id}
  # Required and a plain string: cwltool's secret store takes strings only (an unset optional
  # secret makes it fail), and the step's environment is not the caller's anyway.
  token:
    type: string
    doc: The job's update token, returned once when the job was created. A secret.
    inputBinding: {prefix: --token}
  status:
    type:
      - "null"
      - type: enum
        symbols: [submitted, running, succeeded, failed, dismissed]
    inputBinding: {prefix: --status}
  stage:
    type: string?
    doc: Stage of the workflow, e.g. stage-in, process, stage-out.
    inputBinding: {prefix: --stage}
  progress:
    type: int?
    doc: Progress in percent, 0 to 100.
    inputBinding: {prefix: --progress}
  message:
    type: string?
    inputBinding: {prefix: --message}
  # Array items carry the binding so that the option repeats: --output a=x --output b=y.
  outputs:
    type:
      - "null"
      - type: array
        items: string
        inputBinding: {prefix: --output}
    doc: Outputs as name=url; a name given twice becomes a list of URLs.
  add_labels:
    type:
      - "null"
      - type: array
        items: string
        inputBinding: {prefix: --add-label}
  remove_labels:
    type:
      - "null"
      - type: array
        items: string
        inputBinding: {prefix: --remove-label}
  error_type:
    type: string?
    inputBinding: {prefix: --error-type}
  error_message:
    type: string?
    inputBinding: {prefix: --error-message}
  update_id:
    type: string?
    doc: Defaults to a new UUID v7; the same id twice is applied once.
    inputBinding: {prefix: --update-id}
  api_url:
    type: string?
    doc: The Jobs API (else JOBS_API_URL).
    inputBinding: {prefix: --api-url}
  queue_url:
    type: string?
    doc: An SQS queue (else JOBS_QUEUE_URL).
    inputBinding: {prefix: --queue-url}
  topic_arn:
    type: string?
    doc: An SNS topic (else JOBS_TOPIC_ARN or JOBS_DATA_SNS_TOPIC_ARN).
    inputBinding: {prefix: --topic-arn}
  endpoint_url:
    type: string?
    doc: AWS endpoint override, e.g. LocalStack's http://localhost:4566 (else JOBS_AWS_ENDPOINT_URL).
    inputBinding: {prefix: --endpoint-url}
  region:
    type: string?
    doc: AWS region when the ARN or queue URL does not name one (else AWS_REGION).
    inputBinding: {prefix: --region}
  attempts:
    type: int
    default: 10
    doc: |
      Attempts before giving up on passing failures (the API or SNS/SQS unreachable, throttled,
      the store down), 1 s, 2 s, 4 s … at most 30 s apart: 10 attempts ride out about 2.5 minutes
      of outage inside the step, as cwltool does not retry a step that failed.
    inputBinding: {prefix: --attempts}

outputs:
  log:
    type: stdout
    doc: The line saying where the update went (its update id and the SNS/SQS message id or the API's outcome).

stdout: update-job.txt
