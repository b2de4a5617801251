namespace Hearsay.Core.Tests;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(9_949, "9.9 kB")]
    [InlineData(9_950, "10 kB")]
    [InlineData(116_041, "116 kB")]
    [InlineData(999_499, "999 kB")]
    [InlineData(999_500, "1.0 MB")]
    [InlineData(5_400_000, "5.4 MB")]
    [InlineData(224_000_000, "224 MB")]
    [InlineData(1_500_000_000, "1.5 GB")]
    [InlineData(3_000_000_000_000, "3.0 TB")]
    [InlineData(5_000_000_000_000_000, "5000 TB")]
    public void Format_Bytes_IsDecimalWithOneDecimalBelowTen(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void Format_Negative_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => ByteSize.Format(-1));
}
