namespace Jobs.Aws.Tests;

/// <summary>The yardstick reproduces AWS's published signatures exactly (example credentials, 2015-08-30 12:36:00 UTC).</summary>
public sealed class SigV4ReferenceTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";

    [Fact]
    public void The_IAM_ListUsers_example_of_the_IAM_user_guide()
    {
        var authorization = SigV4Reference.Authorization(
            "GET", "/", "Action=ListUsers&Version=2010-05-08",
            new Dictionary<string, string>
            {
                ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
                ["host"] = "iam.amazonaws.com",
                ["x-amz-date"] = AmzDate,
            },
            [], AccessKey, SecretKey, "us-east-1", "iam", AmzDate);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            authorization);
    }

    [Theory]
    [InlineData("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    public void The_vanilla_requests_of_the_SigV4_test_suite(string method, string signature)
    {
        var authorization = SigV4Reference.Authorization(
            method, "/", "", new Dictionary<string, string> { ["host"] = "example.amazonaws.com", ["x-amz-date"] = AmzDate },
            [], AccessKey, SecretKey, "us-east-1", "service", AmzDate);

        Assert.Equal($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}", authorization);
    }
}
