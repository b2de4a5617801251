using Hearsay.Core.Onnx;

namespace Hearsay.Core.Tests.Onnx;

public class EngineThreadsTests
{
    [Fact]
    public void Default_IsAtMostFourThreadsAndAtMostTheCores_WithoutSpinning()
    {
        Assert.Equal(Math.Min(4, Environment.ProcessorCount), EngineThreads.Default.Count);
        Assert.False(EngineThreads.Default.AllowSpinning);
    }

    [Fact]
    public void Vad_IsOneThreadWithoutSpinning()
    {
        Assert.Equal(1, EngineThreads.Vad.Count);
        Assert.False(EngineThreads.Vad.AllowSpinning);
    }

    [Fact]
    public void Count_MoreThanTheCores_IsLoweredToTheCores()
    {
        Assert.Equal(Environment.ProcessorCount, new EngineThreads { Count = Environment.ProcessorCount + 3 }.Count);
        Assert.Equal(1, new EngineThreads { Count = 1 }.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Count_BelowOne_Throws(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineThreads { Count = count });
    }

    [Fact]
    public void Of_NullOrACount_IsTheDefaultOrThatCount()
    {
        Assert.Same(EngineThreads.Default, EngineThreads.Of(null));
        Assert.Equal(1, EngineThreads.Of(1).Count);
        Assert.False(EngineThreads.Of(1).AllowSpinning);
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineThreads.Of(0));
    }
}
