#!/bin/bash
# LocalStack "ready" hook (mounted into /etc/localstack/init/ready.d/ by docker-compose.localstack.yml):
# the update pipeline of template.yaml, as a stack named "jobs" would create it - the topic, the
# queue with its dead-letter queue (redrive policy) and the raw-delivery subscription. LocalStack
# does not enforce the queue policy, so there is none here.
# tests/Jobs.Infra.Tests checks these names and numbers against template.yaml.
set -euo pipefail

TOPIC_NAME=jobs-updates
QUEUE_NAME=jobs-updates
DLQ_NAME=jobs-updates-dlq
VISIBILITY_TIMEOUT=380
MESSAGE_RETENTION=345600
DLQ_RETENTION=1209600
MAX_RECEIVE_COUNT=5
READY_MARKER=/tmp/jobs-aws-ready

region=${AWS_DEFAULT_REGION:-us-east-1}
account=000000000000

awslocal sqs create-queue --queue-name "$DLQ_NAME" \
  --attributes "MessageRetentionPeriod=$DLQ_RETENTION"

cat > /tmp/jobs-queue-attributes.json <<JSON
{
  "VisibilityTimeout": "$VISIBILITY_TIMEOUT",
  "MessageRetentionPeriod": "$MESSAGE_RETENTION",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:$region:$account:$DLQ_NAME\",\"maxReceiveCount\":\"$MAX_RECEIVE_COUNT\"}"
}
JSON
awslocal sqs create-queue --queue-name "$QUEUE_NAME" --attributes file:///tmp/jobs-queue-attributes.json

awslocal sns create-topic --name "$TOPIC_NAME"
awslocal sns subscribe \
  --topic-arn "arn:aws:sns:$region:$account:$TOPIC_NAME" \
  --protocol sqs \
  --notification-endpoint "arn:aws:sqs:$region:$account:$QUEUE_NAME" \
  --attributes RawMessageDelivery=true

# The compose healthcheck waits for this file: the consumer starts once the queue exists.
touch "$READY_MARKER"
echo "jobs: topic arn:aws:sns:$region:$account:$TOPIC_NAME -> queue $QUEUE_NAME (dead letters: $DLQ_NAME)"
