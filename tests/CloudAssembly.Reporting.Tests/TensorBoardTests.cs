using CloudAssembly.Contracts;
using CloudAssembly.Reporting.TensorBoard;

namespace CloudAssembly.Reporting.Tests;

public class TensorBoardTests
{
    [ProtocFact]
    public void Event_files_read_back_with_TensorBoards_own_protos_every_phase_its_steps_and_epochs()
    {
        var report = SampleRun.Report();
        var logDir = Directory.CreateTempSubdirectory("cloudassembly-tb").FullName;
        try
        {
            foreach (var (name, content) in TensorBoardExport.Render(report))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(logDir, name))!);
                File.WriteAllBytes(Path.Combine(logDir, name), content);
            }

            var files = TensorBoardReader.Read(logDir);

            Assert.Equal(["E2E", "FT", "MT_0", "MT_1", "MT_2", "MT_3", "PT"], files.Select(f => f.Path.Split('/')[0]));
            Assert.All(files, f => Assert.Equal("brain.Event:2", f.FileVersion));
            Assert.All(files, f => Assert.StartsWith("events.out.tfevents.", f.Path.Split('/')[1]));
            var pt = report.Phases.Single(p => p.Phase == PhaseKey.Pretrain);
            var read = files.Single(f => f.Path.StartsWith("PT/", StringComparison.Ordinal)).Scalars;
            var loss = read.Where(s => s.Tag == TensorBoardExport.TrainLoss).ToList();
            Assert.Equal(pt.Steps.Select(s => s.GlobalStep), loss.Select(s => s.Step));
            Assert.Equal(pt.Steps.Select(s => (float)s.TrainLoss), loss.Select(s => (float)s.Value));
            Assert.Equal(pt.Steps.Select(s => s.Time), loss.Select(s => s.WallTime));
            Assert.Equal(pt.Steps.Select(s => (float)s.TrainLr), read.Where(s => s.Tag == TensorBoardExport.TrainLr).Select(s => (float)s.Value));
            var top1 = read.Where(s => s.Tag == TensorBoardExport.EvalTop1).ToList();
            Assert.Equal([10L, 20L], top1.Select(s => s.Step));
            Assert.Equal(pt.Curve.Select(c => (float)c.TestAcc1), top1.Select(s => (float)s.Value));
        }
        finally
        {
            Directory.Delete(logDir, recursive: true);
        }
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
