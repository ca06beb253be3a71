// Start-up script of the kit's Java kernel (JJava runs it through JJAVA_STARTUP_SCRIPTS_PATH, see environment/setup.sh):
// the imports every notebook relies on, show(...) included. In a JJava kernel of your own, after the kit's %classpath
// line: %load <checkout>/environment/kernel/startup.jsh
import java.util.*;
import java.util.stream.*;
import java.nio.file.*;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import tech.tablesaw.api.*;
import tech.tablesaw.plotly.api.*;
import tech.tablesaw.plotly.components.*;
import org.icmlora.engine.*;
import static org.icmlora.display.Show.*;
import org.icmlora.experiments.*;
