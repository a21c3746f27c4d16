#!/usr/bin/env cwl-runner
# A workflow that reports its own progress, the pattern of the seed's jobs database: Update Job
# `running` at the start, the real work in the middle, `succeeded` with the outputs at the end.
# Run it with the job id and update token returned by `POST /processes/{id}:{version}/jobs`, in
# a job file so the token stays off the command line (docs/updates.md, section 1):
#   cwltool --no-container infra/cwl/example-workflow.cwl job.yml
# A step that fails stops the workflow before its last update: wrap the runner in `jobsctl run`
# so that the job then ends `failed` with the runner's exit code and stderr:
#   jobsctl run -- cwltool --no-container infra/cwl/example-workflow.cwl job.yml
# The process step refuses an empty input file (exit 3), which shows that path.
cwlVersion: v1.2
class: Workflow
label: Checksum a file and report progress to Jobs

$namespaces:
  cwltool: http://commonwl.org/cwltool#

requirements:
  StepInputExpressionRequirement: {}
  InlineJavascriptRequirement: {}

# cwltool honours only the top-level process's Secrets hint: the workflow lists its own token
# input, so the token is masked in every step's command line, log and output.
hints:
  cwltool:Secrets:
    secrets: [update_token]

inputs:
  job_id: string
  update_token: string
  api_url: string?
  topic_arn: string?
  queue_url: string?
  input_file: File
  output_base_url:
    type: string
    doc: Where stage-out puts results; the output URL reported is <output_base_url>/<file name>.

outputs:
  checksum:
    type: File
    outputSource: process/checksum

steps:
  job_running:
    run: update-job.cwl
    in:
      job_id: job_id
      token: update_token
      api_url: api_url
      topic_arn: topic_arn
      queue_url: queue_url
      status: {valueFrom: running}
      stage: {valueFrom: process}
      progress: {valueFrom: $(0)}
      message: {valueFrom: $("checksumming " + inputs.input_file.basename)}
      input_file: input_file
    out: [log]

  process:
    in:
      input_file: input_file
      started: job_running/log      # only orders the step after the `running` update
    out: [checksum]
    run:
      class: CommandLineTool
      hints:
        DockerRequirement:
          dockerPull: debian:bookworm-slim
      # An empty granule is an error: the step fails with exit 3 (the failing example).
      baseCommand: [sh, -c, 'test -s "$0" || { echo "$0 is empty" >&2; exit 3; }; sha256sum "$0"']
      inputs:
        input_file:
          type: File
          inputBinding: {position: 1}
        started: File
      outputs:
        checksum:
          type: stdout
      stdout: $(inputs.input_file.basename).sha256

  job_succeeded:
    run: update-job.cwl
    in:
      job_id: job_id
      token: update_token
      api_url: api_url
      topic_arn: topic_arn
      queue_url: queue_url
      checksum: process/checksum
      output_base_url: output_base_url
      status: {valueFrom: succeeded}
      stage: {valueFrom: done}
      progress: {valueFrom: $(100)}
      outputs:
        valueFrom: $(["checksum=" + inputs.output_base_url + "/" + inputs.checksum.basename])
    out: [log]
